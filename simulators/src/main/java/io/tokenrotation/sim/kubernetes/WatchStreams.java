package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A plain HTTP watch ({@code ?watch=true} without an Upgrade header, as {@code kubectl get -w} and
 * {@code kubectl wait} send it) as a chunked stream of {@code {"type":..,"object":..}} lines, made
 * by polling the mock's list: ADDED for what is there (unless a resourceVersion is given: then only
 * newer objects, as MODIFIED), then ADDED/MODIFIED/DELETED by uid and resourceVersion; objects as
 * Table rows if asked for. Ends at timeoutSeconds, when the client hangs up (noticed between polls
 * by reading the socket, see {@link FrontHttp}) or when the front closes.
 */
final class WatchStreams {
  private static final Duration POLL = Duration.ofMillis(300);
  private static final long DEFAULT_WATCH_SECONDS = 1800;

  /** Query parameters of the watch itself, not passed to the list it polls. */
  private static final Set<String> WATCH_PARAMS =
      Set.of(
          "watch",
          "resourceVersion",
          "resourceVersionMatch",
          "timeoutSeconds",
          "allowWatchBookmarks",
          "sendInitialEvents",
          "fieldSelector",
          "includeObject",
          "limit",
          "continue");

  private final MockUpstream upstream;
  private final TableRendering tables;
  private final Clock clock;
  private final BooleanSupplier closed;

  /** {@code closed}: true once the front closes, which ends every watch at its next poll. */
  WatchStreams(MockUpstream upstream, TableRendering tables, Clock clock, BooleanSupplier closed) {
    this.upstream = upstream;
    this.tables = tables;
    this.clock = clock;
    this.closed = closed;
  }

  /**
   * Streams the watch; the connection must end afterwards (the response says {@code Connection:
   * close}).
   */
  void watch(Request r, ResourcePath resource, FrontServer.Connection connection)
      throws IOException {
    OutputStream out = connection.out();
    Map<String, String> params = r.params();
    FieldSelector selector;
    try {
      String fields = params.get("fieldSelector");
      if (resource.name() != null) {
        fields =
            (fields == null || fields.isEmpty() ? "" : fields + ",")
                + "metadata.name="
                + resource.name();
      }
      selector = FieldSelector.parse(fields);
    } catch (IllegalArgumentException e) {
      FrontHttp.respondStatus(out, 400, "BadRequest", e.getMessage());
      return;
    }
    long since = parseLong(params.get("resourceVersion"), 0);
    long timeout = parseLong(params.get("timeoutSeconds"), DEFAULT_WATCH_SECONDS);
    boolean table = TableRendering.wanted(r);
    List<Tables.Column> columns = table ? tables.columns(resource) : List.of();
    String listUrl = resource.collection() + r.queryWithout(WATCH_PARAMS);

    FrontHttp.startChunked(out, table ? TableRendering.CONTENT_TYPE : "application/json");
    Instant deadline = clock.instant().plusSeconds(Math.max(1, timeout));
    Map<String, JsonNode> known = new LinkedHashMap<>();
    boolean first = true;
    while (!closed.getAsBoolean() && clock.instant().isBefore(deadline)) {
      MockUpstream.Fetched fetched = upstream.internal("GET", listUrl, r.headers());
      if (fetched.status() != 200) {
        event(
            out,
            "ERROR",
            FrontHttp.status(
                fetched.status(), "InternalError", "list failed: HTTP " + fetched.status()),
            columns,
            false,
            r);
        break;
      }
      JsonNode list = Json.MAPPER.readTree(fetched.body());
      Map<String, JsonNode> current = new LinkedHashMap<>();
      for (JsonNode item : list.path("items")) {
        if (!selector.matches(item)) {
          continue;
        }
        String key = key(item);
        current.put(key, item);
        JsonNode before = known.get(key);
        if (first) {
          if (since == 0) {
            event(out, "ADDED", item, columns, table, r);
          } else if (parseLong(item.path("metadata").path("resourceVersion").asText(), 0) > since) {
            event(out, "MODIFIED", item, columns, table, r);
          }
        } else if (before == null) {
          event(out, "ADDED", item, columns, table, r);
        } else if (!before
            .path("metadata")
            .path("resourceVersion")
            .equals(item.path("metadata").path("resourceVersion"))) {
          event(out, "MODIFIED", item, columns, table, r);
        }
      }
      if (!first) {
        for (Map.Entry<String, JsonNode> gone : known.entrySet()) {
          if (!current.containsKey(gone.getKey())) {
            event(out, "DELETED", gone.getValue(), columns, table, r);
          }
        }
      }
      known = current;
      first = false;
      out.flush();
      if (clientHungUp(connection.socket(), connection.in())) {
        return;
      }
    }
    FrontHttp.endChunked(out);
  }

  /** Waits one poll interval; true when the client closed the connection meanwhile. */
  private static boolean clientHungUp(Socket socket, InputStream in) throws IOException {
    socket.setSoTimeout((int) POLL.toMillis());
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(0);
    }
  }

  private static String key(JsonNode item) {
    JsonNode meta = item.path("metadata");
    String uid = meta.path("uid").asText("");
    return uid.isEmpty()
        ? meta.path("namespace").asText("") + "/" + meta.path("name").asText("")
        : uid;
  }

  private static void event(
      OutputStream out,
      String type,
      JsonNode object,
      List<Tables.Column> columns,
      boolean table,
      Request r)
      throws IOException {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set(
        "object",
        table
            ? TableRendering.table(columns, List.of(object), r, object.path("metadata"))
            : object);
    FrontHttp.writeChunk(out, (event + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static long parseLong(String text, long fallback) {
    try {
      return text == null || text.isEmpty() ? fallback : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
