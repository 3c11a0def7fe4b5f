package io.tokenrotation.sandbox;

import io.tokenrotation.operator.api.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Command-line options of the sandbox. */
record SandboxOptions(
    int kubePort,
    int vaultPort,
    int dynatracePort,
    Path kubeconfig,
    Duration duration,
    boolean examples,
    Integer metricsPort,
    Kube kube) {

  /** Which Kubernetes API the sandbox runs on ({@code --kube}). */
  enum Kube {
    /** The Fabric8 mock server and its kubectl front, in this process. */
    EMBEDDED,
    /** A real kube-apiserver + etcd built from Go modules (e2e/kube/build.sh, cached). */
    REAL;

    static Kube parse(String flag, String text) {
      return switch (text) {
        case "embedded" -> EMBEDDED;
        case "real" -> REAL;
        default ->
            throw new IllegalArgumentException(
                flag + ": \"" + text + "\" is neither embedded nor real");
      };
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String USAGE =
      """
      usage: java -jar sandbox/target/token-rotation-sandbox.jar [options]
        --kube embedded|real embedded: the in-process Kubernetes API (default); real: a real kube-apiserver + etcd
                             built from Go modules (needs Go the first time: e2e/kube/build.sh, ~5 min, then cached;
                             or TRO_KUBE_BIN=dir with both binaries), RBAC on, the kubeconfig is the cluster admin's
        --kube-port N        embedded Kubernetes API port (default 6443, plain http on 127.0.0.1; --kube real
                             takes a free port)
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
    Kube mode = Kube.EMBEDDED;
    boolean kubePortGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--kube" -> mode = Kube.parse(arg, value(args, ++i, arg));
        case "--kube-port" -> {
          kube = port(arg, value(args, ++i, arg));
          kubePortGiven = true;
        }
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
    if (mode == Kube.REAL && kubePortGiven) {
      throw new IllegalArgumentException(
          "--kube-port is for --kube embedded; the real API server takes a free port"
              + " (the banner and the kubeconfig name it)");
    }
    return new SandboxOptions(
        kube, vault, dynatrace, kubeconfig, duration, examples, metrics, mode);
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
