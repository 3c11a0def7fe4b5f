package io.tokenrotation.sandbox.bench;

import io.tokenrotation.operator.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator in a JVM of its own ({@link Main} on this process's class path, configured by a
 * kubeconfig and environment like in a cluster), with a heap limit and a GC log: how the benchmark
 * measures the operator's heap apart from the API server and simulators it runs in-process.
 */
final class OperatorProcess implements AutoCloseable {
  /**
   * G1's unified-logging line for one collection: "... Pause Young (Normal) (G1 Evacuation Pause)
   * 120M->40M(256M)".
   */
  private static final Pattern COLLECTION =
      Pattern.compile("GC\\(\\d+\\) Pause .*?\\s(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  /**
   * The options of {@code deploy/base/operator/deployment.yaml}'s {@code JAVA_TOOL_OPTIONS} that
   * shape how the operator runs (the heap limit is set apart): the operator here runs as deployed.
   * A test keeps the two the same.
   */
  static final List<String> DEPLOYED_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  /**
   * Replaces {@link #DEPLOYED_JVM_OPTIONS} (space-separated; empty for the JVM's defaults), to
   * compare JVM settings.
   */
  static final String JVM_OPTIONS_ENV = "BENCH_OPERATOR_JVM_OPTIONS";

  /** Heap figures from the GC log, in MiB. */
  record Heap(double peakMiB, double liveMiB, int collections) {}

  private final Process process;
  private final Path gcLog;
  private final Path output;

  private OperatorProcess(Process process, Path gcLog, Path output) {
    this.process = process;
    this.gcLog = gcLog;
    this.output = output;
  }

  /**
   * {@code vaultAddress}, {@code dynatraceUrl}: the only endpoints the operator is allowed
   * (docs/security.md).
   */
  static OperatorProcess start(
      Path kubeconfig,
      Path gcLog,
      int heapMiB,
      int threads,
      Path output,
      String vaultAddress,
      String dynatraceUrl)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions());
    command.addAll(
        List.of(
            "-Xmx" + heapMiB + "m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Xlog:gc:file=" + gcLog,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("RECONCILE_THREADS", String.valueOf(threads));
    builder.environment().put("METRICS_PORT", "0");
    builder.environment().remove("WATCH_NAMESPACES");
    builder.environment().put("ALLOWED_VAULT_ADDRESSES", vaultAddress);
    builder.environment().put("ALLOWED_DYNATRACE_URLS", dynatraceUrl);
    builder.redirectErrorStream(true).redirectOutput(output.toFile());
    return new OperatorProcess(builder.start(), gcLog, output);
  }

  /**
   * The options the operator runs with here: the deployed ones unless the variable replaces them.
   */
  static List<String> jvmOptions() {
    return jvmOptions(System.getenv(JVM_OPTIONS_ENV));
  }

  /** The deployed options, or those {@code override} lists (null: no override). */
  static List<String> jvmOptions(String override) {
    if (override == null) {
      return DEPLOYED_JVM_OPTIONS;
    }
    return Arrays.stream(override.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
  }

  /** Fails the bench when the operator died (e.g. out of heap), with the end of its output. */
  void checkAlive() {
    if (!process.isAlive()) {
      String tail;
      try {
        List<String> lines = Files.readAllLines(output);
        tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      } catch (IOException e) {
        tail = "(no output: " + e.getMessage() + ")";
      }
      throw new IllegalStateException(
          "the operator process exited with " + process.exitValue() + ":\n" + tail);
    }
  }

  /**
   * Asks for a full collection ({@code jcmd <pid> GC.run}, from the same JDK) so the log ends with
   * the live set, then reads the log. Without jcmd the live figure is what the last collection
   * left.
   */
  Heap heap() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (Files.isExecutable(jcmd)) {
      Process gc =
          new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      gc.waitFor(30, TimeUnit.SECONDS);
      Thread.sleep(500); // the log line is written asynchronously
    }
    return parse(Files.readAllLines(gcLog));
  }

  static Heap parse(List<String> log) {
    double peak = 0;
    double live = 0;
    int collections = 0;
    for (String line : log) {
      Matcher m = COLLECTION.matcher(line);
      if (m.find()) {
        collections++;
        peak = Math.max(peak, Double.parseDouble(m.group(1)));
        live = Double.parseDouble(m.group(2));
      }
    }
    return new Heap(peak, live, collections);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the operator's shutdown hook stops it cleanly
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
