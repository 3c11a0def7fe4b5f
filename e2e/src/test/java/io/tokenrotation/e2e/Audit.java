package io.tokenrotation.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The API server's audit log (Metadata level: user, verb, URI, response code; no bodies). */
final class Audit {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Event(String user, String verb, String uri, int code) {
    @Override
    public String toString() {
      return code + " " + verb + " " + uri;
    }
  }

  private Audit() {}

  static List<Event> events(Path log, Predicate<Event> filter) {
    List<Event> events = new ArrayList<>();
    if (!Files.exists(log)) {
      return events;
    }
    try (var lines = Files.lines(log)) {
      lines.forEach(
          line -> {
            try {
              JsonNode e = JSON.readTree(line);
              Event event =
                  new Event(
                      e.path("user").path("username").asText(),
                      e.path("verb").asText(),
                      e.path("requestURI").asText(),
                      e.path("responseStatus").path("code").asInt());
              if (filter.test(event)) {
                events.add(event);
              }
            } catch (IOException partialLastLine) {
              // the server may be writing the last line right now
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  /**
   * Every 403 the server answered any operator ServiceAccount ({@code token-rotation-operator} in
   * any namespace) so far, written to the summary as {@code rbacForbidden}; the list for the
   * assertion.
   */
  static List<Event> recordForbidden(Path log) {
    List<Event> forbidden =
        events(
            log,
            e ->
                e.code() == 403
                    && e.user()
                        .matches(
                            "system:serviceaccount:[^:]+:" + Cluster.OPERATOR_SERVICE_ACCOUNT));
    Summary.put("rbacForbidden", forbidden.size());
    return forbidden;
  }

  /** What RBAC refused {@code user}: every 403 the server answered it. */
  static List<Event> forbidden(Path log, String user) {
    return events(log, e -> e.user().equals(user) && e.code() == 403);
  }
}
