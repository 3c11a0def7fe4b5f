package io.tokenrotation.sandbox.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationBuilder;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.CreatedToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import io.tokenrotation.operator.vault.KvVersion;
import io.tokenrotation.operator.vault.StaticTokenAuth;
import io.tokenrotation.operator.vault.VaultClient;
import io.tokenrotation.operator.vault.VaultClients;
import io.tokenrotation.sandbox.EmbeddedSandboxKube;
import io.tokenrotation.sandbox.RealSandboxKube;
import io.tokenrotation.sandbox.SandboxKube;
import io.tokenrotation.sandbox.VaultKubernetesLogin;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.http.RequestJournal;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.realkube.KubeBinaries;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code java -jar sandbox/target/token-rotation-sandbox.jar bench --resources 1000 --latency
 * 10ms}: in one process, the embedded API and the simulators with a fixed latency per simulator
 * request; N TokenRotations adopted, then all made due at once (rotate-requested-at) and timed
 * until every one is rotated and its old token retired; a sequential baseline doing the seed's flow
 * one secret at a time over the same HTTP client stack; upstream calls per rotation from the
 * simulators' journals; upstream calls while idle; peak heap; start-to-first-reconcile. {@code
 * --resident}: N resources resident and not due, for the heap figure. {@code --kube real}: the same
 * on a real kube-apiserver + etcd, the operator with the RBAC of deploy/base, its API requests
 * counted from the audit log.
 */
public final class Benchmark {
  static final String NAMESPACE = "bench";
  static final String SERVICE_ACCOUNT = "token-rotator";
  static final String OPERATOR_AGENT = "token-rotation-operator";
  static final List<String> SCOPES = List.of("ReadConfig", "DataExport");
  static final Duration INTERVAL = Duration.ofHours(24);
  static final String LOOKUP = "/api/v2/apiTokens/lookup";

  /** The figures; {@link #json()} is the bench's last output line. */
  public record Result(
      int resources,
      long latencyMs,
      double operatorSeconds,
      double baselineSeconds,
      double speedup,
      double callsPerRotation,
      double k8sWritesPerRotation,
      long idleCalls,
      long k8sIdleRequests,
      long dynatrace429s,
      double peakHeapMiB,
      double startToReadySeconds,
      String kube) {
    public String json() {
      return String.format(
          Locale.ROOT,
          "{\"resources\":%d,\"latencyMs\":%d,\"operatorSeconds\":%.2f,"
              + "\"baselineSeconds\":%.2f,\"speedup\":%.1f,\"callsPerRotation\":%.2f,"
              + "\"k8sWritesPerRotation\":%.2f,\"idleCalls\":%d,\"k8sIdleRequests\":%d,"
              + "\"dynatrace429s\":%d,\"peakHeapMiB\":%.1f,\"startToReadySeconds\":%.2f,\"kube\":\"%s\"}",
          resources,
          latencyMs,
          operatorSeconds,
          baselineSeconds,
          speedup,
          callsPerRotation,
          k8sWritesPerRotation,
          idleCalls,
          k8sIdleRequests,
          dynatrace429s,
          peakHeapMiB,
          startToReadySeconds,
          kube);
    }
  }

  private final BenchOptions options;
  private final PrintStream out;
  private final KubeBinaries binaries;
  private SandboxKube kube;
  private VaultSimulator vault;
  private DynatraceSimulator dynatrace;
  private String masterToken;

  /**
   * The Dynatrace simulator's clock: tokens are seeded "in the past" so that they fall due when the
   * bench wants.
   */
  private final SettableClock dynatraceClock = new SettableClock();

  /**
   * The bench's own API client (embedded: direct to the API server, like the operator's; real:
   * cluster admin).
   */
  private KubernetesClient admin;

  /** 429s Dynatrace answered the operator, counted before each clearing of the journal. */
  private long dynatrace429s;

  private Benchmark(BenchOptions options, KubeBinaries binaries, PrintStream out) {
    this.options = options;
    this.binaries = binaries;
    this.out = out;
  }

  /** With {@code --kube real}, the binaries are located (or built) first. */
  public static Result run(BenchOptions options, PrintStream out) throws Exception {
    return run(options, options.realKube() ? RealSandboxKube.binaries() : null, out);
  }

  /** {@code binaries}: for {@code --kube real} (ignored otherwise). */
  public static Result run(BenchOptions options, KubeBinaries binaries, PrintStream out)
      throws Exception {
    Benchmark bench = new Benchmark(options, binaries, out);
    try {
      return options.resident() ? bench.resident() : bench.rotations();
    } finally {
      bench.close();
    }
  }

  // ---------------------------------------------------------------- rotation throughput

  private Result rotations() throws Exception {
    resetPeakHeap();
    setUp();
    // Every token was created one interval before its group's due time, so a whole group falls due
    // at one instant, as when a fleet shares a schedule: the operator adopts them all first (not
    // timed). The warm-up group rotates first (not timed either): a long-running operator, and the
    // API server, run JIT-compiled code. Due times are whole seconds: status keeps a token's
    // creation time in whole seconds, so a group due at 12:00:00.700 fell due for the operator at
    // 12:00:00 and rotated partly before the timer started.
    Instant warmDueAt = wholeSecondAfter(Instant.now().plus(options.dueIn()));
    Instant dueAt = wholeSecondAfter(warmDueAt.plus(warmUpWindow(options.warmup())));
    dynatraceClock.fix(warmDueAt.minus(INTERVAL));
    List<String> warm = seedResources("w", options.warmup());
    dynatraceClock.fix(dueAt.minus(INTERVAL));
    List<String> names = seedResources("r", options.resources());
    dynatraceClock.fix(null);
    List<String> everyone = new ArrayList<>(warm);
    everyone.addAll(names);
    List<String> baselinePaths = seedSecrets("base", options.baselineResources());
    vault.faults().fixedLatency(options.latency());
    dynatrace.faults().fixedLatency(options.latency());

    vault.journal().clear();
    clearDynatraceJournal();
    long operatorStart = System.nanoTime();
    OperatorConfig config = config();
    KubernetesClient operatorClient = operatorClient(config);
    OperatorApp operator = OperatorApp.start(operatorClient, config, OperatorOptions.defaults());
    try {
      double startToReady = untilFirstReconcile(operatorStart, () -> {});
      await(
          "adopted",
          everyone,
          tr -> tr.getStatus() != null && tr.getStatus().getTokenId() != null,
          dynatraceCalls("POST", LOOKUP, everyone.size()));
      log("all %d adopted after %.1f s", everyone.size(), seconds(operatorStart));
      clearDynatraceJournal();
      if (!warm.isEmpty()) {
        sleepUntil(warmDueAt, "adoption");
        await(
            "warm-up rotations",
            warm,
            Benchmark::rotatedAndRetired,
            dynatraceCalls("DELETE", "/api/v2/apiTokens/.+", warm.size()));
        log("warm-up: %d rotated", warm.size());
      }
      vault.journal().clear();
      clearDynatraceJournal();
      kube.clearRequests();
      sleepUntil(dueAt, warm.isEmpty() ? "adoption" : "the warm-up");
      long rotateStart = System.nanoTime();
      await(
          "rotated",
          names,
          Benchmark::rotatedAndRetired,
          dynatraceCalls("DELETE", "/api/v2/apiTokens/.+", names.size()));
      double operatorSeconds = seconds(rotateStart);
      double callsPerRotation =
          (vault.journal().size() + dynatrace.journal().size()) / (double) names.size();
      log(
          "all %d rotated and retired in %.1f s (%.2f upstream calls each)",
          names.size(), operatorSeconds, callsPerRotation);
      double k8sWritesPerRotation = logApiRequests(names.size());

      vault.journal().clear();
      clearDynatraceJournal();
      kube.clearRequests();
      Thread.sleep(options.idle().toMillis());
      long idleCalls = vault.journal().size() + dynatrace.journal().size();
      long idleK8s = idleKubernetesRequests();
      log(
          "idle for %s: %d upstream calls, %d Kubernetes requests besides the watches",
          options.idle(), idleCalls, idleK8s);
      operator.close();
      operatorClient.close();
      long refused = operator429s();

      double baselineSeconds =
          baseline(baselinePaths) * options.resources() / options.baselineResources();
      Result result =
          new Result(
              options.resources(),
              options.latency().toMillis(),
              operatorSeconds,
              baselineSeconds,
              baselineSeconds / operatorSeconds,
              callsPerRotation,
              k8sWritesPerRotation,
              idleCalls,
              idleK8s,
              refused,
              peakHeapMiB(),
              startToReady,
              kube.mode());
      table(result);
      return result;
    } finally {
      operator.close();
      operatorClient.close();
    }
  }

  private static boolean rotatedAndRetired(TokenRotation tr) {
    return tr.getStatus() != null
        && tr.getStatus().getLastRotationTime() != null
        && tr.getStatus().getPendingRotation() == null
        && (tr.getStatus().getRetiredTokens() == null
            || tr.getStatus().getRetiredTokens().isEmpty());
  }

  /** The first whole second at or after {@code t}. */
  static Instant wholeSecondAfter(Instant t) {
    Instant whole = t.truncatedTo(ChronoUnit.SECONDS);
    return whole.equals(t) ? t : whole.plusSeconds(1);
  }

  /** Time for the warm-up group to rotate before the measured group falls due. */
  static Duration warmUpWindow(int warmup) {
    return warmup == 0 ? Duration.ZERO : Duration.ofSeconds(5).plusMillis(20L * warmup);
  }

  private void sleepUntil(Instant at, String what) throws InterruptedException {
    Duration left = Duration.between(Instant.now(), at);
    if (left.isNegative()) {
      log(
          "WARNING: %s ran %.1f s past the due time; the measured rotations started before it ended (raise --due-in)",
          what, -left.toMillis() / 1000.0);
    } else {
      Thread.sleep(left.toMillis());
    }
  }

  /**
   * The seed's flow, one secret after the other: Vault read, lookup, create, Vault write, delete.
   */
  private double baseline(List<String> paths) {
    HttpClients http = new HttpClients(Duration.ofSeconds(10), Duration.ofSeconds(30));
    VaultClient vaultClient =
        new VaultClients(http, UpstreamCallListener.NONE)
            .forConnection(
                vault.baseUrl(),
                "",
                "token:bench",
                () -> new StaticTokenAuth(SecretValue.of(vault.rootToken())),
                Optional.empty());
    DynatraceClient dynatraceClient =
        new DynatraceClients(
                http, DynatraceLimits.NONE, Clock.systemUTC(), UpstreamCallListener.NONE)
            .forEnvironment(dynatrace.baseUrl(), SecretValue.of(masterToken));
    long start = System.nanoTime();
    for (String path : paths) {
      KvLocation location = new KvLocation("secret", path, KvVersion.V2);
      KvSecret secret = vaultClient.read(location).orElseThrow();
      ApiToken old = dynatraceClient.lookup(secret.field("token").orElseThrow());
      CreatedToken created = dynatraceClient.create(old.name(), old.scopes(), null);
      vaultClient.writeField(location, "token", created.token(), secret);
      dynatraceClient.delete(old.id());
    }
    double seconds = seconds(start);
    log("baseline: %d secrets rotated one at a time in %.1f s", paths.size(), seconds);
    return seconds;
  }

  // ---------------------------------------------------------------- resident footprint

  /**
   * N resources resident and not due. The operator runs in a JVM of its own (this jar, {@code
   * Main}, configured from a kubeconfig like in a cluster) with {@code --operator-heap} as its
   * maximum heap, so the figure is the operator's alone: this process also holds the API server
   * with N objects, both simulators and the bench. Its heap is read from its GC log: the peak is
   * the largest occupancy any collection found, the live set what a full collection at the end
   * leaves.
   */
  private Result resident() throws Exception {
    setUp();
    List<String> names = seedResources("idle", options.resources());
    vault.faults().fixedLatency(options.latency());
    dynatrace.faults().fixedLatency(options.latency());
    Path work = Files.createTempDirectory("bench-operator");
    Path kubeconfig = work.resolve("kubeconfig");
    kube.writeOperatorKubeconfig(kubeconfig);
    Path gcLog = work.resolve("gc.log");
    boolean succeeded = false;
    vault.journal().clear();
    clearDynatraceJournal();
    long operatorStart = System.nanoTime();
    OperatorProcess operator =
        OperatorProcess.start(
            kubeconfig,
            gcLog,
            options.operatorHeap(),
            options.threads(),
            work.resolve("operator.log"),
            vault.baseUrl(),
            dynatrace.baseUrl());
    try {
      double startToReady = untilFirstReconcile(operatorStart, operator::checkAlive);
      await(
          "adopted",
          names,
          tr -> tr.getStatus() != null && tr.getStatus().getTokenId() != null,
          dynatraceCalls("POST", LOOKUP, names.size()),
          operator::checkAlive);
      double adoptSeconds = seconds(operatorStart);
      log("all %d adopted (resident, not due) after %.1f s", names.size(), adoptSeconds);
      vault.journal().clear();
      clearDynatraceJournal();
      kube.clearRequests();
      Thread.sleep(options.idle().toMillis());
      long idleCalls = vault.journal().size() + dynatrace.journal().size();
      long idleK8s = idleKubernetesRequests();
      log(
          "idle for %s: %d upstream calls, %d Kubernetes requests besides the watches",
          options.idle(), idleCalls, idleK8s);
      operator.checkAlive();
      OperatorProcess.Heap heap = operator.heap();
      log(
          "operator JVM (-Xmx%dm): peak heap %.1f MiB, live heap after a full GC %.1f MiB, %d collections",
          options.operatorHeap(), heap.peakMiB(), heap.liveMiB(), heap.collections());
      Result result =
          new Result(
              options.resources(),
              options.latency().toMillis(),
              adoptSeconds,
              0,
              0,
              0,
              0,
              idleCalls,
              idleK8s,
              operator429s(),
              heap.peakMiB(),
              startToReady,
              kube.mode());
      table(result);
      succeeded = true;
      return result;
    } finally {
      operator.close();
      Files.deleteIfExists(kubeconfig); // real: it holds a service-account token
      if (succeeded) {
        deleteTree(work);
      } else {
        log("the operator's log and GC log are kept in %s", work);
      }
    }
  }

  /** The resident run's working directory, once it is not needed for a diagnosis any more. */
  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  // ---------------------------------------------------------------- set-up

  private void setUp() throws Exception {
    if (options.realKube()) {
      RealSandboxKube real = RealSandboxKube.start(binaries);
      kube = real;
      log(
          "real kube-apiserver %s at %s; the operator runs as %s",
          real.version(), real.url(), RealSandboxKube.OPERATOR_USER);
    } else {
      kube = EmbeddedSandboxKube.startDirect("bench");
    }
    admin = kube.client();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    vault = VaultSimulator.start(0);
    // Logs in the recommended way (Vault Kubernetes auth): one login per namespace; per reconcile
    // that logs in, one
    // service-account read (the opt-in annotation check) instead of a Secret read for a
    // tokenSecretRef.
    kube.verifyVaultLogins(vault, VaultKubernetesLogin.AUDIENCE);
    VaultKubernetesLogin.enable(vault, admin, NAMESPACE, SERVICE_ACCOUNT, SERVICE_ACCOUNT, "*");
    dynatrace = DynatraceSimulator.start(0, dynatraceClock);
    // Throttled like a real environment (capacity, bare 429s): with its default in-flight limit the
    // operator is
    // never refused; a larger DYNATRACE_MAX_IN_FLIGHT shows what 429s cost.
    dynatrace.throttling(Throttling.realistic());
    masterToken =
        dynatrace
            .createToken(
                "master", List.of("apiTokens.read", "apiTokens.write"), "bench@example.com", null)
            .token();
    vault.writeKv("", "secret", "dynatrace/master", Map.of("token", masterToken));
  }

  private List<String> seedSecrets(String prefix, int count) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = "bench/" + prefix + "-" + i;
      vault.writeKv(
          "",
          "secret",
          path,
          Map.of(
              "token",
              dynatrace.createToken(prefix + "-" + i, SCOPES, "bench@example.com", null).token(),
              "owner",
              "bench"));
      paths.add(path);
    }
    return paths;
  }

  private List<String> seedResources(String prefix, int count) throws Exception {
    List<String> paths = seedSecrets(prefix, count);
    List<String> names = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (String path : paths) {
        String name = path.substring("bench/".length());
        names.add(name);
        creates.add(
            pool.submit(
                () ->
                    admin
                        .resources(TokenRotation.class)
                        .inNamespace(NAMESPACE)
                        .resource(resource(name, path))
                        .create()));
      }
      for (Future<?> create : creates) {
        create.get();
      }
    } finally {
      pool.shutdown();
    }
    log("created %d TokenRotations", names.size());
    return names;
  }

  /**
   * JOSDK's finalizer for TokenRotations: on a resource without it, the operator's first step is to
   * add it (one write, and the reconcile proper only on the event it causes).
   */
  static final String FINALIZER = "tokenrotations.tokenrotation.io/finalizer";

  private TokenRotation resource(String name, String path) {
    TokenRotation tr = fresh(name, path);
    if (options.managed()) {
      tr.getMetadata().setFinalizers(List.of(FINALIZER));
    }
    return tr;
  }

  private TokenRotation fresh(String name, String path) {
    return TokenRotationBuilder.rotation(
        name,
        vault.baseUrl(),
        path,
        dynatrace.baseUrl(),
        TokenRotationBuilder.namespace(NAMESPACE),
        TokenRotationBuilder.interval(INTERVAL.toHours() + "h"),
        TokenRotationBuilder.kubernetesAuth(SERVICE_ACCOUNT, SERVICE_ACCOUNT),
        // the seed's flow deletes the old token at once, and so does the baseline it is compared
        // with (the operator's default disables it and deletes it a week later)
        TokenRotationBuilder.retire(RetireAction.Delete, "0s"));
  }

  /**
   * The operator's client as the operator builds it, straight to the API server (embedded: not the
   * kubectl front; real: as the operator's service account).
   */
  private KubernetesClient operatorClient(OperatorConfig config) {
    return OperatorApp.kubernetesClient(kube.operatorConfig(OPERATOR_AGENT), config);
  }

  private OperatorConfig config() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("RECONCILE_THREADS", String.valueOf(options.threads()));
    env.remove("METRICS_PORT");
    env.remove("ALLOWED_VAULT_ADDRESSES");
    env.remove("ALLOWED_DYNATRACE_URLS");
    return OperatorConfig.fromEnvironment(env).allowing(vault.baseUrl(), dynatrace.baseUrl());
  }

  /**
   * Seconds from {@code since} until the operator's first reconcile reached Vault (a fresh
   * resource's reconcile starts with Vault), from the simulators' journals. Polling a list of N
   * resources instead would load the API server while the operator is doing its own initial list.
   */
  private double untilFirstReconcile(long since, Runnable stillRunning) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (vault.journal().size() == 0) {
      stillRunning.run();
      if (System.nanoTime() > deadline) {
        // e.g. every resource stalled before reaching Vault (an endpoint not allowed): fail, never
        // hang the build
        throw new IllegalStateException(
            "no reconcile reached Vault within 5 minutes of the operator's start");
      }
      Thread.sleep(5);
    }
    return seconds(since);
  }

  /**
   * Waits until every resource meets {@code condition}. Listing N resources is itself heavy load on
   * the API server (it competes with the operator being measured), so the list is only read once
   * {@code nearlyDone} (a count in the simulators' journals, free to read) says the last upstream
   * call of every resource has happened, and at most once a second before that (for the progress
   * line).
   */
  private void await(
      String what,
      List<String> names,
      Predicate<TokenRotation> condition,
      BooleanSupplier nearlyDone)
      throws Exception {
    await(what, names, condition, nearlyDone, () -> {});
  }

  private void await(
      String what,
      List<String> names,
      Predicate<TokenRotation> condition,
      BooleanSupplier nearlyDone,
      Runnable stillRunning)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    long lastList = 0;
    long lastLog = System.nanoTime();
    while (true) {
      boolean close = nearlyDone.getAsBoolean();
      if (close || System.nanoTime() - lastList > Duration.ofSeconds(10).toNanos()) {
        lastList = System.nanoTime();
        Set<String> wanted = new HashSet<>(names);
        long done =
            list().stream()
                .filter(tr -> wanted.contains(tr.getMetadata().getName()))
                .filter(condition)
                .count();
        if (done >= names.size()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + done + " of " + names.size() + " " + what + " after 30 minutes");
        }
        if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos()) {
          log("  %d of %d %s", done, names.size(), what);
          lastLog = System.nanoTime();
        }
      }
      stillRunning.run();
      Thread.sleep(close ? 100 : 20);
    }
  }

  /**
   * Every resource's lookup (adoption) or delete (retirement) reached Dynatrace: a hint that the
   * phase is nearly done (the wait then lists the resources often). Counted as the calls are served
   * rather than by scanning the journal on every poll, which took a few percent of the two cores
   * from the operator being measured.
   */
  private BooleanSupplier dynatraceCalls(String method, String pathRegex, int count) {
    Pattern path = Pattern.compile(pathRegex);
    AtomicLong served = new AtomicLong();
    RequestJournal.Subscription subscription =
        dynatrace
            .journal()
            .subscribe(
                e -> {
                  if (e.matches(method, path)) {
                    served.incrementAndGet();
                  }
                });
    // Subscribed first, then the calls served before: one served in between counts twice, which
    // only makes the hint come a moment early (the wait checks the resources themselves).
    served.addAndGet(dynatrace.journal().count(method, pathRegex));
    return () -> {
      if (served.get() < count) {
        return false;
      }
      subscription.close();
      return true;
    };
  }

  /** Clears the Dynatrace journal, counting its 429s first. */
  private void clearDynatraceJournal() {
    dynatrace429s += dynatrace.journal().count(e -> e.status() == 429);
    dynatrace.journal().clear();
  }

  /**
   * 429s the operator got in the whole run so far (adoption, warm-up, measured rotations, idle).
   */
  private long operator429s() {
    return dynatrace429s + dynatrace.journal().count(e -> e.status() == 429);
  }

  private List<TokenRotation> list() {
    return admin.resources(TokenRotation.class).inNamespace(NAMESPACE).list().getItems();
  }

  // ---------------------------------------------------------------- measures and output

  /**
   * The operator's requests to the Kubernetes API per rotation, by method and resource kind
   * (embedded: the server's journal; real: its audit log).
   */
  /**
   * Logs the operator's Kubernetes requests per rotation by kind; returns its writes per rotation
   * (status writes and Event objects; Lease renewals of leader election are not per rotation).
   */
  private double logApiRequests(int rotations) throws InterruptedException {
    settle();
    Map<String, Long> byKind = new TreeMap<>();
    long writes = 0;
    for (var request : kube.operatorRequests(OPERATOR_AGENT)) {
      String path =
          request
              .path()
              .replaceAll("/namespaces/[^/]+", "")
              .replaceAll("^/apis?/(?:[^/]+/)?v[^/]+/", "");
      String kind = path.replaceAll("^([^/]+)/[^/]+", "$1/{name}");
      byKind.merge(request.method() + " " + kind, 1L, Long::sum);
      if (!request.method().equals("GET") && !kind.startsWith("leases")) {
        writes++;
      }
    }
    byKind.forEach(
        (kind, count) ->
            log("  API server: %-40s %6.2f per rotation", kind, count / (double) rotations));
    double perRotation = writes / (double) rotations;
    log("  API server: writes (status, events) %6.2f per rotation", perRotation);
    return perRotation;
  }

  /**
   * Waits (at most 2 s) until the operator has sent no Kubernetes request for 250 ms: the last
   * rotation's Event is posted after the status write the bench saw, and counting before it arrived
   * reported 0.98 events per rotation.
   */
  private void settle() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    int seen = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int now = kube.operatorRequests(OPERATOR_AGENT).size();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= Duration.ofMillis(250).toNanos()) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /**
   * The operator's Kubernetes requests since {@link SandboxKube#clearRequests}, besides its Lease
   * renewals and its informers' watches: what resources that are not due cost the API server.
   */
  private long idleKubernetesRequests() {
    return kube.operatorRequests(OPERATOR_AGENT).stream()
        .filter(r -> !r.path().contains("/leases"))
        .filter(
            r ->
                !(r.method().equals("GET")
                    && r.path().matches(".*/(tokenrotations|tokencleanuppolicies)")))
        .count();
  }

  private static void resetPeakHeap() {
    ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** Sum of the heap pools' peaks: an upper bound of the heap the whole process needed. */
  private static double peakHeapMiB() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed())
            .sum()
        / (1024.0 * 1024.0);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private void log(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
  }

  private void table(Result r) {
    out.println();
    out.printf(Locale.ROOT, "%-28s %12s%n", "measure", "value");
    out.printf(Locale.ROOT, "%-28s %12d%n", "resources", r.resources());
    out.printf(Locale.ROOT, "%-28s %12d%n", "latency per request (ms)", r.latencyMs());
    out.printf(Locale.ROOT, "%-28s %12.2f%n", "operator (s)", r.operatorSeconds());
    out.printf(Locale.ROOT, "%-28s %12.2f%n", "sequential baseline (s)", r.baselineSeconds());
    out.printf(Locale.ROOT, "%-28s %12.1f%n", "speedup", r.speedup());
    out.printf(Locale.ROOT, "%-28s %12.2f%n", "upstream calls / rotation", r.callsPerRotation());
    out.printf(
        Locale.ROOT, "%-28s %12.2f%n", "Kubernetes writes / rotation", r.k8sWritesPerRotation());
    out.printf(Locale.ROOT, "%-28s %12d%n", "upstream calls while idle", r.idleCalls());
    out.printf(Locale.ROOT, "%-28s %12d%n", "Kubernetes requests idle", r.k8sIdleRequests());
    out.printf(Locale.ROOT, "%-28s %12d%n", "Dynatrace 429s", r.dynatrace429s());
    out.printf(Locale.ROOT, "%-28s %12.1f%n", "peak heap (MiB)", r.peakHeapMiB());
    out.printf(
        Locale.ROOT, "%-28s %12.2f%n", "start to first reconcile (s)", r.startToReadySeconds());
  }

  private void close() {
    if (dynatrace != null) {
      dynatrace.close();
    }
    if (vault != null) {
      vault.close();
    }
    if (kube != null) {
      kube.close();
    }
  }
}
