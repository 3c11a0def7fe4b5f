package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TokenReview endpoint of a kube-apiserver, faked over HTTPS on 127.0.0.1 with the certificate
 * from {@code src/test/resources/tokenreview} (signed by {@link #caPem()}). It records every
 * request and answers with what the test's function returns. It prints nothing: the requests carry
 * tokens.
 */
final class FakeTokenReviewApi implements AutoCloseable {
  /** One request as the server saw it. */
  record Request(
      String method,
      String path,
      String authorization,
      String contentType,
      String accept,
      JsonNode body) {
    JsonNode spec() {
      return body.path("spec");
    }

    /**
     * Without the Authorization header and spec.token, so a failing assertion cannot print a token.
     */
    @Override
    public String toString() {
      return "Request[" + method + " " + path + ", audiences=" + spec().path("audiences") + "]";
    }
  }

  /** An answer; status -1 = close the connection without answering. */
  record Answer(int status, String body) {
    static final Answer DROP = new Answer(-1, "");
  }

  private static final char[] PASSWORD = "changeit".toCharArray();

  private final HttpsServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> answers;

  private FakeTokenReviewApi(Function<Request, Answer> answers) throws IOException {
    this.answers = answers;
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeTokenReviewApi start(Function<Request, Answer> answers) {
    try {
      return new FakeTokenReviewApi(answers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The trusted CA, i.e. {@code kubernetes_ca_cert}. */
  static String caPem() {
    return resource("ca.pem");
  }

  /** A CA that did not sign the server's certificate. */
  static String otherCaPem() {
    return resource("other-ca.pem");
  }

  URI host() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  void answers(Function<Request, Answer> answers) {
    this.answers = answers;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request onlyRequest() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one TokenReview request, got " + requests.size());
    }
    return requests.get(0);
  }

  /**
   * A kube-apiserver's answer for an authenticated token; echoes the spec as the real server does.
   */
  static Answer authenticated(
      Request request, String username, String uid, List<String> audiences) {
    ObjectNode review = reviewEcho(request);
    ObjectNode status = review.putObject("status").put("authenticated", true);
    ObjectNode user = status.putObject("user").put("username", username).put("uid", uid);
    user.putArray("groups").add("system:serviceaccounts").add("system:authenticated");
    audiences.forEach(status.putArray("audiences")::add);
    return new Answer(201, review.toString());
  }

  static Answer unauthenticated(Request request, String error) {
    ObjectNode review = reviewEcho(request);
    ObjectNode status = review.putObject("status").put("authenticated", false);
    status.putObject("user");
    if (!error.isEmpty()) {
      status.put("error", error);
    }
    return new Answer(201, review.toString());
  }

  /** A metav1.Status error, e.g. 401 Unauthorized or 403 Forbidden. */
  static Answer statusError(int code, String reason, String message) {
    return new Answer(
        code,
        Json.object()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .<ObjectNode>set("metadata", Json.object())
            .put("status", "Failure")
            .put("message", message)
            .put("reason", reason)
            .put("code", code)
            .toString());
  }

  private static ObjectNode reviewEcho(Request request) {
    ObjectNode review =
        Json.object().put("kind", "TokenReview").put("apiVersion", "authentication.k8s.io/v1");
    review.putObject("metadata").putNull("creationTimestamp");
    review.set("spec", request.spec().deepCopy());
    return review;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = Json.MAPPER.readTree(in.readAllBytes());
      }
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              exchange.getRequestHeaders().getFirst("Accept"),
              body == null ? Json.object() : body);
      requests.add(request);
      Answer answer = answers.apply(request);
      if (answer.status() < 0) {
        return; // closing the exchange before any response closes the connection
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private static SSLContext serverContext() {
    try (InputStream in = FakeTokenReviewApi.class.getResourceAsStream("/tokenreview/server.p12")) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, PASSWORD);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "test TLS material unusable; see src/test/resources/tokenreview/generate.sh", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = FakeTokenReviewApi.class.getResourceAsStream("/tokenreview/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
