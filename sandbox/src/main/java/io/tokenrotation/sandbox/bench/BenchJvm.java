package io.tokenrotation.sandbox.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM the bench runs in. Its rotation mode runs the operator in-process, so the bench runs with
 * the JVM options the operator is deployed with ({@link OperatorProcess#DEPLOYED_JVM_OPTIONS},
 * replaced by {@link OperatorProcess#JVM_OPTIONS_ENV}): started without them, it starts itself
 * again with them. They apply to the embedded API server and the simulators in the same JVM too.
 */
public final class BenchJvm {
  /** Set in the restarted JVM, so it never restarts again. */
  static final String RESTARTED_ENV = "BENCH_JVM_RESTARTED";

  private BenchJvm() {}

  /** The options this JVM lacks, from those the operator runs with. */
  static List<String> missing(List<String> wanted, List<String> present) {
    return wanted.stream().filter(o -> !present.contains(o)).toList();
  }

  /** Whether this JVM must start the bench again in one with the operator's options. */
  public static boolean mustRestart() {
    return System.getenv(RESTARTED_ENV) == null
        && !missing(
                OperatorProcess.jvmOptions(),
                ManagementFactory.getRuntimeMXBean().getInputArguments())
            .isEmpty();
  }

  /**
   * Runs {@code mainClass} with {@code args} in a JVM with this one's options plus the operator's,
   * sharing this process's output; returns its exit code.
   */
  public static int restart(Class<?> mainClass, String[] args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(OperatorProcess.jvmOptions());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(RESTARTED_ENV, "true");
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    return process.waitFor();
  }
}
