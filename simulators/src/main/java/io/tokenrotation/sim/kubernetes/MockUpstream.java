package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@link KubectlFront}'s side of the Fabric8 mock server: passes a client's request through, and
 * makes the front's own requests (the CRDs behind discovery, the lists behind Tables and plain HTTP
 * watches), which the dispatcher leaves out of the journal.
 */
final class MockUpstream {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "accept-encoding",
          "http2-settings",
          "proxy-authorization",
          "proxy-authenticate");

  /** An answer of the mock, hop-by-hop headers removed. */
  record Fetched(int status, List<String[]> headers, byte[] body) {}

  private final InetSocketAddress mock;
  private final HttpClient http;

  MockUpstream(InetSocketAddress mock, Executor executor) {
    this.mock = mock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  InetSocketAddress address() {
    return mock;
  }

  /**
   * {@code r} with a body the mock can read: kubectl's typed creates (secret, configmap, namespace,
   * serviceaccount, token) send protobuf, forwarded as JSON ({@link ProtobufBodies}).
   *
   * @throws ProtobufBodies.Unsupported for a body the mock would throw on and never answer
   */
  static Request readableBody(Request r) throws ProtobufBodies.Unsupported {
    if (r.body().length == 0 || ProtobufBodies.readableByMock(r.header("Content-Type"))) {
      return r;
    }
    byte[] body = ProtobufBodies.toJson(r.header("Content-Type"), r.body());
    List<String[]> headers = new ArrayList<>(r.headers());
    headers.removeIf(h -> h[0].equalsIgnoreCase("Content-Type"));
    headers.add(new String[] {"Content-Type", "application/json"});
    return r.with(headers, body);
  }

  /**
   * Forwards a client's request and writes the mock's answer, or a 504 Status when it gives none.
   */
  void passThrough(Request r, OutputStream out) throws IOException {
    Fetched answer;
    try {
      answer = forward(r.method(), r.target(), r.headers(), r.body(), false);
    } catch (IOException e) { // e.g. the mock never answers a SelfSubjectAccessReview
      FrontHttp.respondStatus(
          out,
          504,
          "Timeout",
          "the embedded API server did not answer " + r.method() + " " + r.path() + ": " + e);
      return;
    }
    FrontHttp.respond(out, answer.status(), answer.headers(), answer.body());
  }

  /**
   * What discovery and OpenAPI are made of: the built-in resources and the CRDs the mock stores
   * now.
   */
  ApiDiscovery discovery() throws IOException {
    Fetched crds =
        internal("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", List.of());
    JsonNode list = crds.status() == 200 ? Json.MAPPER.readTree(crds.body()) : Json.object();
    return new ApiDiscovery(list);
  }

  /**
   * A request of the front's own, in JSON: not journaled by the dispatcher (the client's request
   * is, once).
   */
  Fetched internal(String method, String pathAndQuery, List<String[]> headers) throws IOException {
    List<String[]> marked = new ArrayList<>();
    for (String[] h : headers) {
      if (!h[0].equalsIgnoreCase("Accept")) {
        marked.add(h);
      }
    }
    marked.add(new String[] {"Accept", "application/json"});
    marked.add(new String[] {EmbeddedApiDispatcher.INTERNAL_HEADER, "true"});
    return forward(method, pathAndQuery, marked, new byte[0], true);
  }

  private Fetched forward(
      String method, String target, List<String[]> headers, byte[] body, boolean internal)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(
                URI.create("http://" + mock.getHostString() + ":" + mock.getPort() + target))
            .timeout(Duration.ofSeconds(internal ? 60 : 20));
    for (String[] h : headers) {
      String name = h[0].toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name)
          || name.equals("date")
          || name.equals("via")
          || name.equals("warning")) {
        continue;
      }
      if (!internal && name.equalsIgnoreCase(EmbeddedApiDispatcher.INTERNAL_HEADER)) {
        continue; // clients cannot hide from the journal
      }
      builder.header(h[0], h[1]);
    }
    builder.method(
        method,
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    List<String[]> responseHeaders = new ArrayList<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> responseHeaders.add(new String[] {name, v}));
              }
            });
    return new Fetched(response.statusCode(), responseHeaders, response.body());
  }
}
