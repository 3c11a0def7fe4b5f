package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The port clients see in front of the Fabric8 mock server: adds what kubectl needs and the mock lacks, and passes
 * everything else through so the operator's Fabric8 client sees the mock unchanged.
 *
 * <ul>
 *   <li>Websocket upgrades (Fabric8 watches and informers) are tunnelled byte for byte to the mock.</li>
 *   <li>Discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/G}, {@code /apis/G/V}),
 *       {@code /version} and OpenAPI v3 are answered here, from the CRDs the mock stores.</li>
 *   <li>{@code Accept: ...;as=Table} reads come back as {@code meta.k8s.io/v1} Tables (CRD printer columns).</li>
 *   <li>{@code ?watch=true} without an Upgrade header is a plain chunked HTTP watch, served by polling the mock.</li>
 *   <li>Lists with a {@code fieldSelector} are filtered here (the mock does not evaluate most field selectors).</li>
 *   <li>Protobuf request bodies (kubectl's typed creates of built-in kinds) are forwarded as JSON
 *       ({@link ProtobufBodies}); a body the mock cannot read is answered 415 at once.</li>
 *   <li>Anything else is forwarded unchanged.</li>
 * </ul>
 *
 * One thread per connection, HTTP/1.1 with keep-alive, plain HTTP on 127.0.0.1 only.
 */
public final class KubectlFront implements Closeable {
  private static final Duration POLL = Duration.ofMillis(300);
  private static final long DEFAULT_WATCH_SECONDS = 1800;
  private static final String TABLE_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private final FrontServer server;
  private final EmbeddedApiDispatcher dispatcher;
  private final Clock clock;
  private final MockUpstream upstream;
  private final WebsocketTunnel tunnel;
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openApi;

  private KubectlFront(FrontServer server, InetSocketAddress mock, EmbeddedApiDispatcher dispatcher, Clock clock) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.upstream = new MockUpstream(mock, server.threads());
    this.tunnel = new WebsocketTunnel(mock, server);
    this.discovery = new DiscoveryDocuments(upstream, server::port);
    this.openApi = new OpenApiDocuments(upstream);
  }

  /** Listens on {@code address:port} (0: any free port) in front of the mock server at {@code mock}. */
  public static KubectlFront start(InetAddress address, int port, InetSocketAddress mock,
      EmbeddedApiDispatcher dispatcher, Clock clock) {
    FrontServer server = FrontServer.listen(address, port);
    KubectlFront front = new KubectlFront(server, mock, dispatcher, clock);
    server.start(front::answer, front.tunnel::take);
    return front;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  // ---------------------------------------------------------------- routing

  /** Answers one request; false when the connection must end (after a watch). */
  private boolean answer(Request r, FrontServer.Connection connection) throws IOException {
    OutputStream out = connection.out();
    boolean get = r.method().equals("GET");
    if (get) {
      Optional<JsonNode> local = discovery.document(r.path());
      if (local.isEmpty()) {
        local = openApi.v3Document(r.path());
      }
      if (local.isPresent()) {
        journal(r);
        FrontHttp.respondJson(out, 200, "application/json", local.get());
        return true;
      }
      // a discovery or OpenAPI v3 path of an unknown group or version
      if (DiscoveryDocuments.isDiscoveryPath(r.path()) || OpenApiDocuments.isV3Path(r.path())) {
        journal(r);
        FrontHttp.respondStatus(out, 404, "NotFound", "the server could not find the "
            + "requested resource");
        return true;
      }
      if (OpenApiDocuments.isV2Path(r.path())) {
        journal(r);
        OpenApiDocuments.respondV2(r, out);
        return true;
      }
      Optional<ResourcePath> resource = ResourcePath.parse(r.path());
      if (resource.isPresent() && resource.get().subresource() == null) {
        Map<String, String> params = r.params();
        String watch = params.get("watch");
        if ("true".equals(watch) || "1".equals(watch)) {
          journal(r);
          watch(r, resource.get(), connection.socket(), connection.in(), out);
          return false;
        }
        if (acceptsTable(r) || params.containsKey("fieldSelector") || resource.get().name() == null) {
          journal(r);
          read(r, resource.get(), out);
          return true;
        }
      }
    }
    Request forwarded;
    try {
      forwarded = MockUpstream.readableBody(r);
    } catch (ProtobufBodies.Unsupported e) { // the mock would throw on it and never answer
      journal(r);
      FrontHttp.respondStatus(out, 415, "UnsupportedMediaType", e.getMessage()
          + ". The embedded API server reads JSON and YAML bodies; for kubectl create <kind>, pipe its JSON: "
          + "kubectl create <kind> ... --dry-run=client -o json | kubectl create -f -");
      return true;
    }
    upstream.passThrough(forwarded, out);
    return true;
  }

  private void journal(Request r) {
    dispatcher.record(r.method(), r.target(), r.header("User-Agent"));
  }

  // ---------------------------------------------------------------- tables and field selectors

  private static final Set<String> FRONT_PARAMS = Set.of("fieldSelector", "includeObject");

  /** GET of a list or an object, as a Table if asked for, with the field selector applied here. */
  private void read(Request r, ResourcePath resource, OutputStream out) throws IOException {
    Map<String, String> params = r.params();
    FieldSelector selector;
    try {
      selector = FieldSelector.parse(params.get("fieldSelector"));
    } catch (IllegalArgumentException e) {
      FrontHttp.respondStatus(out, 400, "BadRequest", e.getMessage());
      return;
    }
    MockUpstream.Fetched fetched = upstream.internal("GET", r.path() + r.queryWithout(FRONT_PARAMS), r.headers());
    if (fetched.status() != 200) {
      FrontHttp.respond(out, fetched.status(), fetched.headers(), fetched.body());
      return;
    }
    JsonNode body = Json.MAPPER.readTree(fetched.body());
    boolean list = resource.name() == null;
    List<JsonNode> objects = new ArrayList<>();
    if (list) {
      body.path("items").forEach(item -> {
        if (selector.matches(item)) {
          objects.add(item);
        }
      });
      // etcd order, as a real API server lists: by namespace, then name
      objects.sort(java.util.Comparator.comparing((JsonNode o) -> o.path("metadata").path("namespace").asText(""))
          .thenComparing(o -> o.path("metadata").path("name").asText("")));
    } else {
      objects.add(body);
    }
    if (acceptsTable(r)) {
      List<Tables.Column> columns = columns(resource);
      FrontHttp.respondJson(out, 200, TABLE_TYPE, Tables.table(columns, objects, params.get("includeObject"),
          list ? body.path("metadata") : null, true));
    } else if (list) {
      // the mock says "kind: List"; typed clients (kubectl describe's event list) need e.g. EventList
      ObjectNode typed = Json.object();
      Optional<ApiDiscovery.Resource> known = upstream.discovery().find(resource.group(), resource.version(),
          resource.resource());
      typed.put("kind", known.map(k -> k.kind() + "List").orElse(body.path("kind").asText("List")));
      typed.put("apiVersion", resource.group().isEmpty() ? resource.version()
          : resource.group() + "/" + resource.version());
      typed.set("metadata", body.path("metadata").isObject() ? body.get("metadata") : Json.object());
      typed.putArray("items").addAll(objects);
      FrontHttp.respondJson(out, 200, "application/json", typed);
    } else {
      FrontHttp.respondJson(out, 200, "application/json", body);
    }
  }

  private List<Tables.Column> columns(ResourcePath resource) throws IOException {
    Instant now = clock.instant();
    Optional<ApiDiscovery.Resource> known = upstream.discovery().find(resource.group(), resource.version(),
        resource.resource());
    if (known.isPresent() && known.get().crdVersion() != null) {
      return Tables.crdColumns(known.get().crdVersion(), now);
    }
    return Tables.builtinColumns(resource.group(), resource.resource(), now);
  }

  // ---------------------------------------------------------------- plain HTTP watch

  private static final Set<String> WATCH_PARAMS = Set.of("watch", "resourceVersion", "resourceVersionMatch",
      "timeoutSeconds", "allowWatchBookmarks", "sendInitialEvents", "fieldSelector", "includeObject", "limit",
      "continue");

  /**
   * {@code ?watch=true} as a chunked stream of {@code {"type":..,"object":..}} lines, by polling the mock's list:
   * ADDED for what is there (unless a resourceVersion is given: then only newer objects, as MODIFIED), then
   * ADDED/MODIFIED/DELETED by uid and resourceVersion. Ends at timeoutSeconds or when the client hangs up.
   */
  private void watch(Request r, ResourcePath resource, Socket socket, InputStream in, OutputStream out)
      throws IOException {
    Map<String, String> params = r.params();
    FieldSelector selector;
    try {
      String fields = params.get("fieldSelector");
      if (resource.name() != null) {
        fields = (fields == null || fields.isEmpty() ? "" : fields + ",") + "metadata.name=" + resource.name();
      }
      selector = FieldSelector.parse(fields);
    } catch (IllegalArgumentException e) {
      FrontHttp.respondStatus(out, 400, "BadRequest", e.getMessage());
      return;
    }
    long since = parseLong(params.get("resourceVersion"), 0);
    long timeout = parseLong(params.get("timeoutSeconds"), DEFAULT_WATCH_SECONDS);
    boolean table = acceptsTable(r);
    List<Tables.Column> columns = table ? columns(resource) : List.of();
    String listUrl = resource.collection() + r.queryWithout(WATCH_PARAMS);

    FrontHttp.startChunked(out, table ? TABLE_TYPE : "application/json");
    Instant deadline = clock.instant().plusSeconds(Math.max(1, timeout));
    Map<String, JsonNode> known = new LinkedHashMap<>();
    boolean first = true;
    while (!server.isClosed() && clock.instant().isBefore(deadline)) {
      MockUpstream.Fetched fetched = upstream.internal("GET", listUrl, r.headers());
      if (fetched.status() != 200) {
        event(out, "ERROR", FrontHttp.status(fetched.status(), "InternalError",
            "list failed: HTTP " + fetched.status()), columns, false, r);
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
        } else if (!before.path("metadata").path("resourceVersion")
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
      if (clientHungUp(socket, in)) {
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
    return uid.isEmpty() ? meta.path("namespace").asText("") + "/" + meta.path("name").asText("") : uid;
  }

  private static void event(OutputStream out, String type, JsonNode object, List<Tables.Column> columns,
      boolean table, Request r) throws IOException {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", table ? Tables.table(columns, List.of(object), r.params().get("includeObject"),
        object.path("metadata"), true) : object);
    FrontHttp.writeChunk(out, (event + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static long parseLong(String text, long fallback) {
    try {
      return text == null || text.isEmpty() ? fallback : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static boolean acceptsTable(Request r) {
    String accept = r.header("Accept");
    return accept != null && accept.replace(" ", "").contains("as=Table");
  }
}
