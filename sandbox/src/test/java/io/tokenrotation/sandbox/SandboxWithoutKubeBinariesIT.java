package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kube real} on a machine without the kube-apiserver and etcd binaries: the sandbox and
 * the bench say how to get them and exit 2. The runs on a real API server are in the e2e module
 * (SandboxOnRealApiServerE2eIT, BenchOnRealApiServerE2eIT).
 */
class SandboxWithoutKubeBinariesIT {
  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void withoutBinariesTheSandboxAndTheBenchExitTwoAtOnceSayingHowToGetThem(@TempDir Path empty)
      throws Exception {
    Path jar = Path.of("target", "token-rotation-sandbox.jar");
    for (List<String> args :
        List.of(
            List.of("--kube", "real", "--duration", "45s"),
            List.of("bench", "--kube", "real", "--resources", "10"))) {
      List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder
          .environment()
          .put("TRO_KUBE_BIN", empty.toString()); // a directory without kube-apiserver and etcd
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(out).isEqualTo(2);
      assertThat(out)
          .as(String.join(" ", args))
          .contains("--kube real needs the kube-apiserver and etcd binaries")
          .contains("e2e/kube/build.sh")
          .contains("TRO_KUBE_BIN")
          .doesNotContain("token-rotation sandbox");
    }
  }
}
