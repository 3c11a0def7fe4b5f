package io.tokenrotation.sandbox;

import io.tokenrotation.operator.app.Logging;
import io.tokenrotation.sandbox.bench.BenchJvm;
import io.tokenrotation.sandbox.bench.BenchOptions;
import io.tokenrotation.sandbox.bench.Benchmark;
import io.tokenrotation.sandbox.bench.ScalingCurve;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.realkube.KubeBinaries;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar sandbox/target/token-rotation-sandbox.jar}: the operator doing its job with no
 * cluster, Vault or Dynatrace account. Ctrl-C prints a summary; {@code --duration 45s} runs, prints
 * it and exits 0 only on success. {@code --kube real} runs it on a real kube-apiserver + etcd; exit
 * 2 at once when their binaries cannot be had.
 */
public final class SandboxMain {
  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    // The live table is the sandbox's output; operator logs only for warnings (LOG_LEVEL=INFO shows
    // them all).
    if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
      System.setProperty("LOG_LEVEL", "WARN");
    }
    Logging.configure();
    if (args.length > 0 && "bench".equals(args[0])) {
      // the operator runs in-process: with the JVM options it is deployed with (BenchJvm)
      System.exit(
          BenchJvm.mustRestart()
              ? BenchJvm.restart(SandboxMain.class, args)
              : bench(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    SandboxOptions options;
    try {
      options = SandboxOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(SandboxOptions.USAGE);
      System.exit(2);
      return;
    }
    KubeBinaries binaries = null;
    if (options.kube() == SandboxOptions.Kube.REAL) {
      binaries = realKubeBinaries();
      if (binaries == null) {
        System.exit(2);
        return;
      }
    }
    System.exit(run(options, binaries, System.out));
  }

  /**
   * The binaries for {@code --kube real}, or null after saying on stderr why there are none and
   * what to do.
   */
  private static KubeBinaries realKubeBinaries() {
    try {
      return RealSandboxKube.binaries();
    } catch (IllegalStateException e) {
      System.err.println(
          "--kube real needs the kube-apiserver and etcd binaries and cannot get them: "
              + e.getMessage());
      if (!e.getMessage().contains(KubeBinaries.HOW_TO_BUILD)) {
        System.err.println(KubeBinaries.HOW_TO_BUILD);
      }
      return null;
    }
  }

  private static int bench(String[] args) throws Exception {
    BenchOptions options;
    List<Integer> curve = null;
    Path out = Path.of("");
    try {
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--curve") && i + 1 < args.length) {
          curve = ScalingCurve.sizes(args[++i]);
        } else if (args[i].equals("--out") && i + 1 < args.length) {
          out = Path.of(args[++i]);
        } else {
          rest.add(args[i]);
        }
      }
      options = BenchOptions.parse(rest.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchOptions.USAGE);
      return 2;
    }
    KubeBinaries binaries = null;
    if (options.realKube()) {
      binaries = realKubeBinaries();
      if (binaries == null) {
        return 2;
      }
    }
    if (curve != null) {
      ScalingCurve.run(curve, options, binaries, out, System.out);
      return 0;
    }
    var result = Benchmark.run(options, binaries, System.out);
    System.out.println(result.json());
    return 0;
  }

  /** {@code binaries}: for {@code --kube real} (null otherwise). */
  static int run(SandboxOptions options, KubeBinaries binaries, PrintStream out) throws Exception {
    Instant started = Instant.now();
    SandboxKube kube =
        options.kube() == SandboxOptions.Kube.REAL
            ? RealSandboxKube.start(binaries)
            : EmbeddedSandboxKube.start(options.kubePort());
    Sandbox sandbox = new Sandbox(options, kube);
    out.println("token-rotation sandbox");
    out.println("  Kubernetes API  " + kube.url() + "   (" + kube.description() + ")");
    for (String note : kube.notes()) {
      out.println("                  " + note);
    }
    out.println(
        "  Vault           " + sandbox.vault.baseUrl() + "   (root token: root; KV v2 at secret/)");
    out.println(
        "  Dynatrace       "
            + sandbox.dynatrace.baseUrl()
            + "   ("
            + throttling(sandbox.dynatrace.throttling())
            + ")");
    out.println("  kubeconfig      " + options.kubeconfig().toAbsolutePath());
    out.println("  seeded tokens   " + sandbox.seeded);
    out.println(
        "  stale tokens    "
            + sandbox.staleTokens
            + "   (for the TokenCleanupPolicy stale-tokens)");
    if (options.metricsPort() != null) {
      out.println(
          "  metrics         http://127.0.0.1:"
              + sandbox.operator.metricsPort()
              + "/metrics   (/healthz, /readyz)");
    }
    out.println();
    out.println("Try:  export KUBECONFIG=" + options.kubeconfig().toAbsolutePath());
    out.println("      kubectl get tr        kubectl describe tr automation-script1");
    out.println(
        "      kubectl annotate tr automation-script1 tokenrotation.io/rotate-requested-at=$(date +%s) --overwrite");
    out.println(
        "      kubectl get tcp       kubectl get tcp stale-tokens -o yaml   (a cleanup dry run)");
    out.println();
    if (options.examples()) {
      sandbox.applyExamples();
      out.println("Applied examples/sandbox (" + String.join(", ", Sandbox.EXAMPLES) + ")");
    }
    out.printf(
        "Ready in %.1f s%n%n", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);

    LiveView view = new LiveView(sandbox.kube.client(), Sandbox.NAMESPACE, out, Clock.systemUTC());
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    int[] exit = {0};
    Runnable finish =
        () -> {
          if (finished.compareAndSet(false, true)) {
            try {
              view.poll();
            } catch (RuntimeException ignored) {
              // the API may already be going down on Ctrl-C
            }
            LiveView.Summary summary = view.summary();
            out.println();
            out.println("Summary");
            summary.lines().forEach(line -> out.println("  " + line));
            out.println(summary.success() ? "RESULT: OK" : "RESULT: FAILED");
            exit[0] = summary.success() ? 0 : 1;
            sandbox.close();
            done.countDown();
          }
        };
    Thread hook = new Thread(finish, "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Instant end = options.duration() == null ? Instant.MAX : Instant.now().plus(options.duration());
    while (Instant.now().isBefore(end) && !finished.get()) {
      try {
        view.poll();
      } catch (RuntimeException e) {
        out.println("  (could not list resources: " + e.getClass().getSimpleName() + ")");
      }
      Thread.sleep(500);
    }
    finish.run();
    done.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // already shutting down (Ctrl-C)
    }
    return exit[0];
  }

  private static String throttling(Throttling throttling) {
    return throttling instanceof Throttling.Capacity c
        ? "throttles like the real one: "
            + c.parallel()
            + " requests at once, "
            + c.queue()
            + " queued, bare 429 beyond"
        : "not throttled";
  }
}
