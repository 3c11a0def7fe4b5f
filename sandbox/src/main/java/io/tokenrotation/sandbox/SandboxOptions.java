package io.tokenrotation.sandbox;

import io.tokenrotation.operator.policy.Durations;
import java.nio.file.Path;
import java.time.Duration;

/** Command-line options of the sandbox. */
record SandboxOptions(int kubePort, int vaultPort, int dynatracePort, Path kubeconfig, Duration duration,
    boolean examples, Integer metricsPort) {

  static final String USAGE = """
      usage: java -jar sandbox/target/token-rotation-sandbox.jar [options]
        --kube-port N        embedded Kubernetes API port (default 6443, plain http on 127.0.0.1)
        --vault-port N       Vault simulator port (default 8200)
        --dynatrace-port N   Dynatrace simulator port (default 8380)
        --kubeconfig FILE    where to write the kubeconfig (default target/sandbox.kubeconfig)
        --duration D         run for D (e.g. 45s), print the summary and exit: 0 only if every resource is Ready
                             and rotated at least once when its interval elapsed
        --no-examples        do not apply examples/sandbox
        --metrics-port N     serve the operator's Prometheus metrics, /healthz and /readyz on port N
      """;

  static SandboxOptions parse(String[] args) {
    int kube = 6443;
    int vault = 8200;
    int dynatrace = 8380;
    Path kubeconfig = Path.of("target", "sandbox.kubeconfig");
    Duration duration = null;
    boolean examples = true;
    Integer metrics = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--kube-port" -> kube = port(arg, value(args, ++i, arg));
        case "--vault-port" -> vault = port(arg, value(args, ++i, arg));
        case "--dynatrace-port" -> dynatrace = port(arg, value(args, ++i, arg));
        case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, arg));
        case "--duration" -> {
          try {
            duration = Durations.parse(value(args, ++i, arg));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--duration: " + e.getMessage());
          }
        }
        case "--no-examples" -> examples = false;
        case "--metrics-port" -> metrics = port(arg, value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return new SandboxOptions(kube, vault, dynatrace, kubeconfig, duration, examples, metrics);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int port(String flag, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": \"" + text + "\" is not a port number");
    }
  }
}
