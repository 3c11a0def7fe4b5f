package io.tokenrotation.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar ({@code operator/target/token-rotation-operator.jar}) as a process of its own,
 * configured only by a kubeconfig and environment variables, as in a cluster. {@link #kill()} is
 * SIGKILL: no shutdown hook runs.
 */
final class OperatorJarProcess implements AutoCloseable {
  private final String name;
  private final Path log;
  private final Process process;

  private OperatorJarProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /** Starts the operator; its output is appended to {@code e2e-work/<name>.log}. */
  static OperatorJarProcess start(String name, Path kubeconfig, Map<String, String> env)
      throws IOException {
    Path jar = E2e.operatorJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the e2e module runs after `mvn package` of operator/");
    }
    Path log = E2e.work().resolve(name + ".log");
    Files.writeString(log, "--- start\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx192m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-jar",
                jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    // Nothing from the test JVM's environment that could change the operator's behaviour.
    environment.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("LANG"));
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("KUBECONFIG", kubeconfig.toString());
    defaults.put("METRICS_PORT", "0");
    defaults.put("LOG_FORMAT", "text");
    defaults.put("LOG_LEVEL", "INFO");
    environment.putAll(defaults);
    environment.putAll(env);
    return new OperatorJarProcess(name, log, builder.start());
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM (the operator's shutdown hook stops it cleanly), SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
