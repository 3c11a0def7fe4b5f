package io.tokenrotation.sandbox.bench;

import io.tokenrotation.operator.api.Durations;
import java.time.Duration;

/**
 * {@code bench [--resources N] [--latency 10ms] [--resident] [--idle 10s] [--threads 50]
 * [--baseline N] [--due-in D] [--operator-heap MiB] [--warmup N] [--kube embedded|real]}; {@code
 * --curve N,N,.. [--out DIR]} is taken by the launcher ({@link ScalingCurve}).
 */
public record BenchOptions(
    int resources,
    Duration latency,
    boolean resident,
    Duration idle,
    int threads,
    int baselineResources,
    Duration dueIn,
    int operatorHeap,
    int warmup,
    String kube,
    boolean managed) {

  public static final String EMBEDDED = "embedded";
  public static final String REAL = "real";

  /** Today's options on the embedded API server. */
  public BenchOptions(
      int resources,
      Duration latency,
      boolean resident,
      Duration idle,
      int threads,
      int baselineResources,
      Duration dueIn,
      int operatorHeap,
      int warmup) {
    this(
        resources,
        latency,
        resident,
        idle,
        threads,
        baselineResources,
        dueIn,
        operatorHeap,
        warmup,
        EMBEDDED,
        false);
  }

  public BenchOptions {
    if (!EMBEDDED.equals(kube) && !REAL.equals(kube)) {
      throw new IllegalArgumentException("--kube: \"" + kube + "\" is neither embedded nor real");
    }
  }

  /**
   * These options at another size, with the size-dependent defaults recomputed and a baseline of at
   * most 200 secrets (scaled): one point of the scaling curve.
   */
  public BenchOptions sized(int n, boolean residentRun) {
    return new BenchOptions(
        n,
        latency,
        residentRun,
        idle,
        threads,
        Math.min(n, 200),
        Duration.ofSeconds(10).plusMillis(20L * n),
        operatorHeap,
        Math.min(200, n / 5),
        kube,
        managed);
  }

  /** {@code --kube real}: a real kube-apiserver + etcd. */
  public boolean realKube() {
    return REAL.equals(kube);
  }

  public static final String USAGE =
      """
      usage: java -jar sandbox/target/token-rotation-sandbox.jar bench [options]
        --resources N     TokenRotations (default 1000)
        --latency D       fixed latency per simulator request (default 10ms)
        --resident        only measure N resident, not-due resources: the operator runs in its own JVM
                          with --operator-heap MiB of heap (default 256), its heap read from its GC log
        --idle D          how long to watch the idle operator for upstream calls (default 10s)
        --threads N       operator reconcile threads (default 50, the operator's RECONCILE_THREADS default)
        --baseline N      secrets the sequential baseline rotates (default: --resources)
        --due-in D        when the warm-up rotations fall due, counted from the start; adoption must fit
                          in it (default 10s + 20ms per resource)
        --warmup N        resources rotated (untimed) before the measured ones (default N/5, at most 200;
                          0 for none)
        --kube K          embedded (default): the in-process API server; real: a real kube-apiserver + etcd
                          built from Go modules (e2e/kube/build.sh, cached), the operator with the RBAC of
                          deploy/base, its API requests counted from the audit log
        --managed         the resources already carry the operator's finalizer, as after an operator restart
                          over a fleet it manages (default: created fresh, and the operator adds it first)
        --curve N,N,...   the scaling curve: the rotation run and the resident run at each size (baseline at
                          most 200, scaled); writes bench-curve.csv and bench-curve.png
        --out DIR         where --curve writes (default: the current directory)
      """;

  public static BenchOptions parse(String[] args) {
    int resources = 1000;
    Duration latency = Duration.ofMillis(10);
    boolean resident = false;
    Duration idle = Duration.ofSeconds(10);
    int threads = 50;
    Integer baseline = null;
    Duration dueIn = null;
    int operatorHeap = 256;
    Integer warmup = null;
    String kube = EMBEDDED;
    boolean managed = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--resources" -> resources = positive(args, ++i);
        case "--latency" -> latency = duration(args, ++i);
        case "--resident" -> resident = true;
        case "--idle" -> idle = duration(args, ++i);
        case "--threads" -> threads = positive(args, ++i);
        case "--baseline" -> baseline = positive(args, ++i);
        case "--due-in" -> dueIn = duration(args, ++i);
        case "--operator-heap" -> operatorHeap = positive(args, ++i);
        case "--warmup" -> warmup = "0".equals(value(args, ++i)) ? 0 : positive(args, i);
        case "--kube" -> kube = value(args, ++i);
        case "--managed" -> managed = true;
        default -> throw new IllegalArgumentException("unknown bench argument " + args[i]);
      }
    }
    return new BenchOptions(
        resources,
        latency,
        resident,
        idle,
        threads,
        baseline == null ? resources : baseline,
        dueIn != null ? dueIn : Duration.ofSeconds(10).plusMillis(20L * resources),
        operatorHeap,
        warmup != null ? warmup : Math.min(200, resources / 5),
        kube,
        managed);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static int positive(String[] args, int i) {
    String text = value(args, i);
    try {
      int n = Integer.parseInt(text);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          args[i - 1] + ": \"" + text + "\" is not a positive number");
    }
  }

  private static Duration duration(String[] args, int i) {
    String text = value(args, i);
    if ("0".equals(text)) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(args[i - 1] + ": " + e.getMessage());
    }
  }
}
