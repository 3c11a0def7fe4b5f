package io.tokenrotation.sim.realkube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the real {@code kube-apiserver} and {@code etcd} binaries are. They are built from Go
 * modules by {@code e2e/kube/build.sh} into a cache keyed by the Kubernetes version
 * (e2e/README.md); a warm call only checks a stamp. {@code TRO_KUBE_BIN} (a directory holding both)
 * skips the build.
 */
public record KubeBinaries(Path kubeApiServer, Path etcd) {
  public static final String BIN_ENV = "TRO_KUBE_BIN";
  static final String BUILD_SCRIPT = "e2e/kube/build.sh";

  /** How to get the binaries, for messages that must say what to do. */
  public static final String HOW_TO_BUILD =
      "build them with `bash "
          + BUILD_SCRIPT
          + "` from the repository root"
          + " (needs Go >= 1.24 and the Go module proxy; cold about 5 minutes, then cached), or point "
          + BIN_ENV
          + " at a directory holding kube-apiserver and etcd";

  public static KubeBinaries in(Path dir) {
    KubeBinaries binaries = new KubeBinaries(dir.resolve("kube-apiserver"), dir.resolve("etcd"));
    if (!Files.isExecutable(binaries.kubeApiServer) || !Files.isExecutable(binaries.etcd)) {
      throw new IllegalStateException("no kube-apiserver/etcd in " + dir + "; " + HOW_TO_BUILD);
    }
    return binaries;
  }

  /**
   * {@code TRO_KUBE_BIN} if set, else the cached build of the first repository found around one of
   * {@code starts} (e.g. the working directory, then the running jar), built if needed.
   */
  public static KubeBinaries locateOrBuild(Path... starts) {
    String fromEnv = System.getenv(BIN_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return in(Path.of(fromEnv));
    }
    Path script =
        Arrays.stream(starts)
            .flatMap(start -> findUpwards(start, BUILD_SCRIPT).stream())
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no "
                            + BUILD_SCRIPT
                            + " above "
                            + Arrays.toString(starts)
                            + " (run from the repository); "
                            + HOW_TO_BUILD));
    return in(build(script));
  }

  static Optional<Path> findUpwards(Path start, String relative) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return Optional.of(dir.resolve(relative));
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the build script (its progress goes to this process's stderr); its last stdout line is the
   * directory.
   */
  private static Path build(Path script) {
    try {
      Process process =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      int exit = process.waitFor();
      if (exit != 0 || out.isEmpty()) {
        throw new IllegalStateException(script + " failed (exit " + exit + "); " + HOW_TO_BUILD);
      }
      String[] lines = out.split("\n");
      return Path.of(lines[lines.length - 1].strip());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + script + ": " + e.getMessage() + "; " + HOW_TO_BUILD, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the Kubernetes binaries", e);
    }
  }
}
