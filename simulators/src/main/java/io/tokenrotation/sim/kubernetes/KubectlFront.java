package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The port clients see in front of the Fabric8 mock server: adds what kubectl needs and the mock
 * lacks, and passes everything else through so the operator's Fabric8 client sees the mock
 * unchanged. This class only routes: which of these answers a request, and that the request is
 * journaled once.
 *
 * <ul>
 *   <li>Websocket upgrades (Fabric8 watches and informers) are tunnelled byte for byte to the mock
 *       ({@link WebsocketTunnel}).
 *   <li>Discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/G}, {@code
 *       /apis/G/V}) and {@code /version} ({@link DiscoveryDocuments}) and OpenAPI ({@link
 *       OpenApiDocuments}) are answered here, from the CRDs the mock stores.
 *   <li>{@code Accept: ...;as=Table} reads come back as {@code meta.k8s.io/v1} Tables (CRD printer
 *       columns; {@link TableRendering}).
 *   <li>{@code ?watch=true} without an Upgrade header is a plain chunked HTTP watch, served by
 *       polling the mock ({@link WatchStreams}).
 *   <li>Lists with a {@code fieldSelector} are filtered here (the mock does not evaluate most field
 *       selectors; {@link ResourceReads}, {@link FieldSelector}).
 *   <li>Protobuf request bodies (kubectl's typed creates of built-in kinds) are forwarded as JSON
 *       ({@link ProtobufBodies}); a body the mock cannot read is answered 415 at once.
 *   <li>Anything else is forwarded unchanged ({@link MockUpstream}).
 * </ul>
 *
 * One thread per connection, HTTP/1.1 with keep-alive, plain HTTP on 127.0.0.1 only: {@link
 * FrontServer} and {@link FrontHttp}, the front's own HTTP stack (its comment says why it is not
 * {@code sim/http}'s).
 */
public final class KubectlFront implements Closeable {
  private final FrontServer server;
  private final EmbeddedApiDispatcher dispatcher;
  private final MockUpstream upstream;
  private final WebsocketTunnel tunnel;
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openApi;
  private final ResourceReads reads;
  private final WatchStreams watches;

  private KubectlFront(
      FrontServer server, InetSocketAddress mock, EmbeddedApiDispatcher dispatcher, Clock clock) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.upstream = new MockUpstream(mock, server.threads());
    this.tunnel = new WebsocketTunnel(mock, server);
    this.discovery = new DiscoveryDocuments(upstream, server::port);
    this.openApi = new OpenApiDocuments(upstream);
    TableRendering tables = new TableRendering(upstream, clock);
    this.reads = new ResourceReads(upstream, tables);
    this.watches = new WatchStreams(upstream, tables, clock, server::isClosed);
  }

  /**
   * Listens on {@code address:port} (0: any free port) in front of the mock server at {@code mock}.
   */
  public static KubectlFront start(
      InetAddress address,
      int port,
      InetSocketAddress mock,
      EmbeddedApiDispatcher dispatcher,
      Clock clock) {
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
        FrontHttp.respondStatus(
            out, 404, "NotFound", "the server could not find the requested resource");
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
          watches.watch(r, resource.get(), connection);
          return false;
        }
        if (TableRendering.wanted(r)
            || params.containsKey("fieldSelector")
            || resource.get().name() == null) {
          journal(r);
          reads.read(r, resource.get(), out);
          return true;
        }
      }
    }
    Request forwarded;
    try {
      forwarded = MockUpstream.readableBody(r);
    } catch (ProtobufBodies.Unsupported e) { // the mock would throw on it and never answer
      journal(r);
      FrontHttp.respondStatus(
          out,
          415,
          "UnsupportedMediaType",
          e.getMessage()
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
}
