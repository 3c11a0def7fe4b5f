package io.tokenrotation.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The machine's kubectl with a given kubeconfig, run from the repository root (so relative paths
 * are the docs').
 */
final class Kubectl {
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  private final String binary;
  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this("kubectl", kubeconfig);
  }

  Kubectl(String binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /**
   * kubectl v1.20 from Debian's archive (e2e/kube/kubectl-1.20.sh: downloaded once, not installed),
   * or empty with the reason where the archive cannot be reached.
   */
  static Optional<Kubectl> v120(Path kubeconfig, Consumer<String> whyNot) {
    try {
      Process p =
          new ProcessBuilder("bash", E2e.repo().resolve("e2e/kube/kubectl-1.20.sh").toString())
              .redirectErrorStream(false)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0 || out.isEmpty()) {
        whyNot.accept(err.isEmpty() ? "kubectl-1.20.sh failed" : err);
        return Optional.empty();
      }
      String[] lines = out.split("\n");
      return Optional.of(new Kubectl(lines[lines.length - 1], kubeconfig));
    } catch (IOException e) {
      whyNot.accept(e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String binary() {
    return binary;
  }

  Result run(String... args) {
    return runWithInput(null, args);
  }

  /**
   * Runs kubectl with {@code stdin} (or none); output is stdout and stderr merged. Fails after 60
   * s.
   */
  Result runWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(binary, "--request-timeout=30s"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(E2e.repo().toFile()).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    try {
      Process process = builder.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, out + "\n(kubectl timed out)");
      }
      return new Result(process.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl (is it on PATH?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Result require(String... args) {
    Result result = run(args);
    if (!result.ok()) {
      throw new AssertionError(
          "kubectl "
              + String.join(" ", args)
              + " failed ("
              + result.exit()
              + "):\n"
              + result.output());
    }
    return result;
  }
}
