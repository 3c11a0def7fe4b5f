package io.tokenrotation.sim.realkube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as {@link RealKubernetes}'s audit log records it (Metadata level: no bodies): who,
 * which verb on which URI, and the answer's status code.
 */
public record AuditEvent(String user, String verb, String uri, int code) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The URI without its query. */
  public String path() {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  @Override
  public String toString() {
    return code + " " + verb + " " + uri;
  }

  /**
   * The events of {@code log} from byte {@code offset} on (0: all). A last line the server is still
   * writing is skipped.
   */
  static List<AuditEvent> read(Path log, long offset) {
    List<AuditEvent> events = new ArrayList<>();
    if (!Files.exists(log)) {
      return events;
    }
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      channel.position(offset);
      BufferedReader reader =
          new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode e;
        try {
          e = JSON.readTree(line);
        } catch (IOException partialLastLine) {
          continue;
        }
        events.add(
            new AuditEvent(
                e.path("user").path("username").asText(),
                e.path("verb").asText(),
                e.path("requestURI").asText(),
                e.path("responseStatus").path("code").asInt()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }
}
