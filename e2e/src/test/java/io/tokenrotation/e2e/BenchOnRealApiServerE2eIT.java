package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.sandbox.bench.BenchOptions;
import io.tokenrotation.sandbox.bench.Benchmark;
import io.tokenrotation.sim.realkube.KubeBinaries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bench's smoke run (sandbox BenchSmokeIT) on a real API server. */
class BenchOnRealApiServerE2eIT {
  /**
   * {@code --kube real}: the same run on a real kube-apiserver + etcd (binaries as the e2e module
   * gets them), the operator as the deploy/ service account, its Kubernetes requests counted from
   * the audit log by that user.
   */
  @Test
  void theBenchmarkRunsOnARealApiServerAndCountsTheOperatorsRequestsFromTheAuditLog()
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Benchmark.Result result =
        Benchmark.run(
            new BenchOptions(
                20,
                Duration.ofMillis(1),
                false,
                Duration.ofSeconds(2),
                10,
                20,
                Duration.ofSeconds(8),
                256,
                5,
                BenchOptions.REAL,
                false),
            KubeBinaries.locateOrBuild(E2e.repo()),
            new PrintStream(captured, true, StandardCharsets.UTF_8));
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(result.callsPerRotation()).as(out).isBetween(3.0, 3.2);
    // three status writes (intent, successor's id, outcome with the retirement) and one Event;
    // a status write that meets a stale informer copy gets a 409 and is repeated: a few per
    // hundred
    assertThat(result.k8sWritesPerRotation()).as(out).isBetween(4.0, 4.1);
    assertThat(result.idleCalls()).as(out).isZero();
    assertThat(result.json()).contains("\"resources\":20", "\"kube\":\"real\"");
    // the status writes of each rotation, as the API server's audit log recorded them for the
    // operator's user
    assertThat(out)
        .contains(
            "the operator runs as system:serviceaccount:token-rotation-system:token-rotation-operator")
        .containsPattern(
            "API server: PUT tokenrotations/\\{name\\}/status +[2-3]\\.\\d\\d per rotation")
        .containsPattern("API server: POST events +1\\.\\d\\d per rotation")
        .doesNotContainPattern("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}")
        .doesNotContain("eyJ");
  }
}
