package io.tokenrotation.sim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The embedded HTTP server under both simulators: the JDK's own {@code com.sun.net.httpserver}. It
 * needs no dependency, accepts any method token (Vault's {@code LIST}, {@code PATCH}), serves
 * keep-alive connections and, on an unbounded pool of daemon threads, thousands of concurrent
 * requests; a stalled request only holds its own thread.
 *
 * <p>Every request passes, in order: admin routes under {@code /__sim/} (never journaled or
 * faulted), the service's {@link Admission} (its capacity: a refused request is journaled with the
 * refusal), then, holding its slot, injected latency, injected faults and the service's {@link
 * SimHandler}. The journal records the final status.
 */
public final class SimHttpServer implements AutoCloseable {
  public static final String ADMIN_PREFIX = "/__sim/";

  static {
    // Without TCP_NODELAY the JDK server's small writes meet the client's delayed ACK: ~40 ms per
    // keep-alive request,
    // which would swamp any latency a test or the benchmark injects. Read once, when the JDK server
    // first starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String name;
  private final SimHandler service;
  private final SimHandler adminExtension;
  private final IntFunction<SimResponse> errorBody;
  private final Clock clock;
  private final FaultInjector faults = new FaultInjector();
  private final RequestJournal journal = new RequestJournal();
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile UnaryOperator<JournalEntry> journalRedactor = UnaryOperator.identity();
  private volatile Admission admission = Admission.UNLIMITED;

  /**
   * @param adminExtension answers {@code /__sim/} paths the common admin API does not know (e.g.
   *     seal), or null
   * @param errorBody the service's usual error response for a status, used by faults that give no
   *     body
   */
  public SimHttpServer(
      String name,
      InetSocketAddress address,
      SimHandler service,
      SimHandler adminExtension,
      IntFunction<SimResponse> errorBody,
      Clock clock)
      throws IOException {
    this.name = name;
    this.service = service;
    this.adminExtension = adminExtension;
    this.errorBody = errorBody;
    this.clock = clock;
    this.server = HttpServer.create(address, 4096);
    this.executor = Executors.newCachedThreadPool(daemonThreads(name));
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  public static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-sim-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  public SimHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** e.g. {@code http://127.0.0.1:8200} (no trailing slash). */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  public FaultInjector faults() {
    return faults;
  }

  public RequestJournal journal() {
    return journal;
  }

  /**
   * Rewrites every entry before it is journaled, also for faulted requests the service never saw: a
   * service whose paths or query strings can carry a secret (Dynatrace's {@code DELETE
   * /apiTokens/<token>}, {@code ?api-token=}) masks it here so the journal never holds one.
   */
  public void journalRedactor(UnaryOperator<JournalEntry> redactor) {
    this.journalRedactor = redactor == null ? UnaryOperator.identity() : redactor;
  }

  /**
   * Decides, before anything else (latency, faults, the service), whether a request is taken now; a
   * refused one is journaled with the refusal's status. Default: every request at once.
   */
  public void admission(Admission admission) {
    this.admission = admission == null ? Admission.UNLIMITED : admission;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      SimRequest request = read(exchange);
      if (request.path().startsWith(ADMIN_PREFIX)) {
        write(exchange, request, admin(request));
        return;
      }
      Admission.Ticket ticket = admission.admit(request);
      if (ticket.isRefused()) {
        record(request, ticket.refusal().status(), false);
        write(exchange, request, ticket.refusal());
        return;
      }
      Optional<SimResponse> response;
      try {
        response = process(request);
      } finally {
        // Freed before the answer is written: a client keeping N requests in flight against N slots
        // must not meet
        // its own previous request, still being written, on the next one.
        ticket.release();
      }
      if (response.isPresent()) {
        write(exchange, request, response.get());
      }
    } catch (Exception e) {
      // The client went away or the request was unreadable: nothing left to answer.
    }
  }

  /**
   * Latency, faults, then the service; journals the request. Empty: drop the connection without an
   * answer.
   */
  private Optional<SimResponse> process(SimRequest request) throws Exception {
    sleep(faults.nextLatency());
    var fault = faults.take(request);
    if (fault.isPresent()) {
      FaultRule rule = fault.get();
      switch (rule.kind()) {
        case STALL -> {
          sleep(rule.stallDuration());
          record(request, 0, true);
          return Optional.empty(); // closing without a response drops the connection
        }
        case DROP -> {
          record(request, 0, true);
          return Optional.empty();
        }
        case HOLD -> rule.holdUntilReleased(); // then served like any other request
        case RESPOND -> {
          SimResponse response =
              rule.body() == null
                  ? errorBody.apply(rule.status())
                  : SimResponse.text(rule.status(), SimResponse.JSON, rule.body());
          for (Map.Entry<String, String> header : rule.headers().entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
          }
          record(request, rule.status(), true);
          return Optional.of(response);
        }
        default -> throw new IllegalStateException(rule.kind().name());
      }
    }
    SimResponse response;
    try {
      response = service.handle(request);
    } catch (RuntimeException e) {
      response = errorBody.apply(500);
    }
    record(request, response.status(), false);
    return Optional.of(response);
  }

  private void record(SimRequest request, int status, boolean injected) {
    journal.record(
        journalRedactor.apply(
            new JournalEntry(
                clock.instant(),
                request.method(),
                request.path(),
                request.rawQuery(),
                status,
                request.principal(),
                injected)));
  }

  private static SimRequest read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String remote =
        exchange.getRemoteAddress() == null
            ? ""
            : exchange.getRemoteAddress().getAddress().getHostAddress();
    return new SimRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(),
        exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders(),
        body,
        remote);
  }

  private static void write(HttpExchange exchange, SimRequest request, SimResponse response)
      throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    boolean noBody =
        body.length == 0
            || "HEAD".equals(request.method())
            || response.status() == 204
            || response.status() == 304;
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void sleep(Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- admin API: /__sim/journal, /__sim/faults, /__sim/latency, then the extension ----

  private SimResponse admin(SimRequest request) throws Exception {
    String path = request.path().substring(ADMIN_PREFIX.length());
    switch (request.method() + " " + path) {
      case "GET journal" -> {
        ObjectNode body = Json.object();
        ArrayNode entries = body.putArray("entries");
        for (JournalEntry e : journal.entries()) {
          ObjectNode node = entries.addObject();
          node.put("time", e.time().toString());
          node.put("method", e.method());
          node.put("path", e.path());
          node.put("query", e.query());
          node.put("status", e.status());
          node.put("principal", e.principal());
          node.put("injected", e.injected());
        }
        return SimResponse.json(200, body);
      }
      case "DELETE journal" -> {
        journal.clear();
        return SimResponse.empty(204);
      }
      case "GET faults" -> {
        ArrayNode list = Json.array();
        faults.rules().forEach(rule -> list.add(rule.toString()));
        return SimResponse.json(200, Json.object().set("faults", list));
      }
      case "DELETE faults" -> {
        faults.clear();
        return SimResponse.empty(204);
      }
      case "POST faults" -> {
        return addFault(request.bodyJson());
      }
      case "POST latency" -> {
        JsonNode body = request.bodyJson();
        long fixed = body.path("fixedMs").asLong(-1);
        long min = fixed >= 0 ? fixed : body.path("minMs").asLong(0);
        long max = fixed >= 0 ? fixed : body.path("maxMs").asLong(min);
        faults.randomLatency(Duration.ofMillis(min), Duration.ofMillis(max));
        return SimResponse.empty(204);
      }
      default -> {
        if (adminExtension != null) {
          return adminExtension.handle(request);
        }
        return SimResponse.json(
            404, Json.object().put("error", "unknown admin route " + request.path()));
      }
    }
  }

  private SimResponse addFault(JsonNode spec) {
    String method = spec.path("method").asText("*");
    String path = spec.path("path").asText(".*");
    int times = spec.path("times").asInt(1);
    String kind = spec.path("kind").asText("respond");
    FaultRule rule;
    switch (kind) {
      case "stall" ->
          rule =
              FaultRule.stall(
                  method, path, Duration.ofMillis(spec.path("stallMs").asLong(30_000)), times);
      case "drop" -> rule = FaultRule.drop(method, path, times);
      case "respond" -> {
        Map<String, String> headers = new LinkedHashMap<>();
        spec.path("headers")
            .fields()
            .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        String body =
            spec.hasNonNull("body")
                ? (spec.get("body").isTextual()
                    ? spec.get("body").asText()
                    : spec.get("body").toString())
                : null;
        rule =
            FaultRule.respond(method, path, spec.path("status").asInt(500), body, headers, times);
      }
      default -> {
        return SimResponse.json(
            400, Json.object().put("error", "kind must be respond, stall or drop"));
      }
    }
    faults.add(rule);
    return SimResponse.json(201, Json.object().put("fault", rule.toString()));
  }

  @Override
  public String toString() {
    return name + " simulator at " + baseUrl();
  }
}
