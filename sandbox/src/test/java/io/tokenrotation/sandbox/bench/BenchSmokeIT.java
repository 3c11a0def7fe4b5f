package io.tokenrotation.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * CI runs the benchmark at N=50 as a smoke test: it completes and reports; no timing is asserted.
 */
class BenchSmokeIT {
  @Test
  void theBenchmarkRunsAndReportsEveryField() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Benchmark.Result result =
        Benchmark.run(
            new BenchOptions(
                50,
                Duration.ofMillis(1),
                false,
                Duration.ofSeconds(2),
                20,
                50,
                Duration.ofSeconds(8),
                256,
                10),
            new PrintStream(captured, true, StandardCharsets.UTF_8));
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(result.resources()).isEqualTo(50);
    assertThat(result.operatorSeconds()).isPositive();
    assertThat(result.baselineSeconds()).isPositive();
    // behaviour, not speed: a steady-state rotation costs three upstream calls (create, Vault
    // check-and-set write, delete; the management token is remembered) and, at grace period 0,
    // at most four Kubernetes writes; an idle operator calls nothing
    assertThat(result.callsPerRotation()).as(out).isBetween(3.0, 3.2);
    // three status writes (intent, successor's id, outcome with the retirement) and one Event. A
    // reconcile on an informer copy older than our own writes used to repeat the read, the lookup
    // and one write (3.32 calls in a CI run); RecentStatusWrites answers with our latest write
    assertThat(result.k8sWritesPerRotation()).as(out).isBetween(4.0, 4.1);
    assertThat(result.idleCalls()).as(out).isZero();
    // a realistically throttled environment never refuses the operator at its default in-flight
    // limit
    assertThat(result.dynatrace429s()).isZero();
    assertThat(result.json())
        .contains(
            "\"resources\":50",
            "\"callsPerRotation\"",
            "\"k8sWritesPerRotation\"",
            "\"peakHeapMiB\"",
            "\"startToReadySeconds\"",
            "\"speedup\"",
            "\"baselineSeconds\"",
            "\"operatorSeconds\"",
            "\"latencyMs\":1",
            "\"idleCalls\":0",
            "\"dynatrace429s\":0",
            "\"kube\":\"embedded\"");
    assertThat(out)
        .contains("upstream calls / rotation", "Dynatrace 429s")
        .doesNotContainPattern("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");
  }

  @Test
  void theResidentModeMeasuresAnOperatorInItsOwnJvm() throws Exception {
    Set<Path> workDirsBefore = residentWorkDirs();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Benchmark.Result result =
        Benchmark.run(
            new BenchOptions(
                20,
                Duration.ZERO,
                true,
                Duration.ofSeconds(2),
                10,
                20,
                Duration.ofSeconds(8),
                128,
                0),
            new PrintStream(captured, true, StandardCharsets.UTF_8));
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(result.resources()).isEqualTo(20);
    assertThat(result.idleCalls()).as(out).isZero();
    // the heap comes from the other JVM's GC log: at least one collection (the full GC the bench
    // asks for)
    assertThat(result.peakHeapMiB()).isPositive().isLessThanOrEqualTo(128);
    assertThat(out)
        .contains("operator JVM (-Xmx128m)", "all 20 adopted (resident, not due)")
        .doesNotContainPattern("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");
    assertThat(residentWorkDirs())
        .as("a successful run leaves no working directory behind")
        .isSubsetOf(workDirsBefore);
  }

  private static Set<Path> residentWorkDirs() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("bench-operator"))
          .collect(Collectors.toSet());
    }
  }
}
