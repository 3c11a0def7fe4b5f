package io.tokenrotation.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint (JDK HttpServer, all interfaces): {@code GET /metrics} (Prometheus
 * text format), {@code /healthz} (200 while the process serves requests: liveness), {@code /readyz}
 * (200 once the operator has started and its informers are healthy, else 503: readiness).
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** {@code port} 0 = an ephemeral port (tests); see {@link #port()}. */
  public static MetricsServer start(int port, Supplier<String> metrics, BooleanSupplier ready) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
      server.createContext(
          "/metrics",
          exchange -> {
            if (!get(exchange)) {
              return;
            }
            String body;
            try {
              body = metrics.get();
            } catch (RuntimeException e) {
              LOG.warn("metrics scrape failed: {}", e.toString());
              respond(exchange, 500, "text/plain; charset=utf-8", "scrape failed\n");
              return;
            }
            respond(exchange, 200, PROMETHEUS_TEXT, body);
          });
      server.createContext(
          "/healthz",
          exchange -> {
            if (get(exchange)) {
              respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
            }
          });
      server.createContext(
          "/readyz",
          exchange -> {
            if (!get(exchange)) {
              return;
            }
            boolean ok;
            try {
              ok = ready.getAsBoolean();
            } catch (RuntimeException e) {
              ok = false;
            }
            respond(
                exchange,
                ok ? 200 : 503,
                "text/plain; charset=utf-8",
                ok ? "ready\n" : "not ready\n");
          });
      server.createContext(
          "/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8", "not found\n"));
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.start();
      return new MetricsServer(server, executor);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static boolean get(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
    return false;
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
