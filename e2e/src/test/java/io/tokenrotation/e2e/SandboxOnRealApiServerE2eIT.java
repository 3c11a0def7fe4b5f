package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.sim.realkube.KubeBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's {@code --kube real}: the packaged jar on a real kube-apiserver + etcd (binaries
 * from e2e/kube/build.sh, cached, as the e2e module uses them; or TRO_KUBE_BIN). The sandbox must
 * end Ready and rotated like on the embedded server; the kubeconfig it writes is the cluster
 * admin's, and the operator's own identity has only the deploy/ ClusterRole.
 */
class SandboxOnRealApiServerE2eIT {
  /**
   * A cold build of kube-apiserver and etcd takes minutes (e2e/README.md): done here, once, before
   * the sandbox's own time limits start; the jar then finds the cached binaries.
   */
  @BeforeAll
  static void binariesBuilt() {
    KubeBinaries.locateOrBuild(E2e.repo());
  }

  private static final Pattern TOKEN_SECRET =
      Pattern.compile("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.");
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final String OPERATOR =
      "system:serviceaccount:token-rotation-system:token-rotation-operator";

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theJarRunsOnARealApiServerAndExitsZero(@TempDir Path dir) throws Exception {
    Path jar = E2e.repo().resolve("sandbox/target/token-rotation-sandbox.jar");
    assertThat(jar).exists();
    Path kubeconfig = dir.resolve("sandbox.kubeconfig");
    Process process =
        new ProcessBuilder(
                java(),
                "-jar",
                jar.toString(),
                "--kube",
                "real",
                "--duration",
                "45s",
                "--vault-port",
                "0",
                "--dynatrace-port",
                "0",
                "--kubeconfig",
                kubeconfig.toString())
            .redirectErrorStream(true)
            .start();
    // a hung sandbox fails the test in 4 minutes instead of blocking the read below
    var watchdog =
        CompletableFuture.runAsync(
            process::destroyForcibly, CompletableFuture.delayedExecutor(240, TimeUnit.SECONDS));
    StringBuilder out = new StringBuilder();
    List<String> kubectl = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.append(line).append('\n');
        if (line.startsWith("Ready in")
            && Files.isExecutable(KUBECTL)) { // optional: the real kubectl, when installed
          kubectl.add(kubectl(dir, kubeconfig, "get", "crd", "tokenrotations.tokenrotation.io"));
          kubectl.add(
              kubectl(
                  dir,
                  kubeconfig,
                  "auth",
                  "can-i",
                  "patch",
                  "tokenrotations.tokenrotation.io",
                  "--as=" + OPERATOR));
          kubectl.add(
              kubectl(dir, kubeconfig, "auth", "can-i", "list", "secrets", "--as=" + OPERATOR));
        }
      }
    } finally {
      process.waitFor(30, TimeUnit.SECONDS);
      watchdog.cancel(false);
    }
    String printed = out.toString();
    assertThat(process.isAlive()).as("sandbox exited within 4 minutes:%n%s", printed).isFalse();
    assertThat(process.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("RESULT: OK")
        .containsPattern(
            "Kubernetes API  https://127\\.0\\.0\\.1:\\d+   \\(real kube-apiserver v1\\.\\d+\\.\\d+ \\(built from Go modules\\)")
        .contains("kubeconfig      " + kubeconfig.toAbsolutePath());
    for (String name : new String[] {"automation-script1", "automation-script2", "master"}) {
      assertThat(printed)
          .containsPattern("ROTATED  " + name + ": dt0c01\\.[A-Z0-9]{24} -> dt0c01\\.[A-Z0-9]{24}");
    }
    assertThat(printed).containsPattern("CLEANUP  stale-tokens \\(Report\\): 2 matched, 0 acted");
    assertThat(Files.readString(kubeconfig))
        .containsPattern("server: https://127\\.0\\.0\\.1:\\d+");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
        .isEqualTo("rw-------");
    assertThat(TOKEN_SECRET.matcher(printed).find())
        .as("a token secret in the sandbox output")
        .isFalse();
    assertThat(JWT.matcher(printed).find()).as("a JWT in the sandbox output").isFalse();
    if (!kubectl.isEmpty()) {
      assertThat(kubectl.get(0))
          .as("kubectl get crd with the sandbox's kubeconfig")
          .contains("tokenrotations");
      assertThat(kubectl.get(1))
          .as("the operator may patch TokenRotations")
          .startsWith("0:")
          .contains("yes");
      assertThat(kubectl.get(2))
          .as("the operator may not list Secrets (deploy/ ClusterRole)")
          .startsWith("1:")
          .contains("no");
    }
  }

  /** {@code exit code:output} of kubectl with {@code kubeconfig}. */
  private static String kubectl(Path dir, Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
    builder.environment().put("HOME", dir.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue() + ":" + out;
  }
}
