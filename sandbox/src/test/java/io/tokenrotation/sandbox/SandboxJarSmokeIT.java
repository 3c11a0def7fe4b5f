package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README command number one, as a newcomer runs it: the packaged jar, with a duration, must exit 0
 * and say why.
 */
class SandboxJarSmokeIT {
  private static final Pattern TOKEN_SECRET =
      Pattern.compile("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");

  @Test
  void theJarRotatesEveryExampleReportsStaleTokensAndExitsZero()
      throws IOException, InterruptedException {
    Path jar = Path.of("target", "token-rotation-sandbox.jar");
    assertThat(jar).exists();
    Path output = Files.createTempFile("sandbox", ".out");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--duration",
                "20s",
                "--kube-port",
                "0",
                "--vault-port",
                "0",
                "--dynatrace-port",
                "0",
                "--kubeconfig",
                "target/smoke.kubeconfig")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    String out = Files.readString(output, StandardCharsets.UTF_8);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("sandbox exited within 2 minutes:%n%s", out).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).contains("RESULT: OK");
    for (String name : new String[] {"automation-script1", "automation-script2", "master"}) {
      assertThat(out)
          .containsPattern("ROTATED  " + name + ": dt0c01\\.[A-Z0-9]{24} -> dt0c01\\.[A-Z0-9]{24}");
      assertThat(out).containsPattern("(?m)^  " + name + " +True +[1-9]");
    }
    // the cleanup dry run lists the two stale seeded tokens, and changes nothing
    assertThat(out)
        .containsPattern(
            "CLEANUP  stale-tokens \\(Report\\): 2 matched, 0 acted: "
                + "dt0c01\\.[A-Z0-9]{24} jane-dashboard-sync \\(last used 200d ago\\), "
                + "dt0c01\\.[A-Z0-9]{24} legacy-export \\(never used, created 120d ago\\)");
    assertThat(out).containsPattern("(?m)^  stale-tokens +True +Report +2 +0$");
    assertThat(Path.of("target", "smoke.kubeconfig")).exists();
    assertThat(TOKEN_SECRET.matcher(out).find())
        .as("a token secret in the sandbox output")
        .isFalse();
  }
}
