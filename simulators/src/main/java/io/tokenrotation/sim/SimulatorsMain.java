package io.tokenrotation.sim;

import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar simulators/target/simulators.jar [--vault-port 8200] [--dynatrace-port 8380]
 * [--no-seed] [--no-throttling]}: starts both simulators on 127.0.0.1, seeds them, prints base URLs
 * and seeded token ids, runs until killed. Dynatrace throttles by capacity like the real service
 * ({@link Throttling#realistic()}) unless {@code --no-throttling}.
 */
public final class SimulatorsMain {
  private SimulatorsMain() {}

  public static void main(String[] args) throws InterruptedException {
    int vaultPort = 8200;
    int dynatracePort = 8380;
    boolean seed = true;
    boolean throttling = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--vault-port" -> vaultPort = port(args, ++i);
        case "--dynatrace-port" -> dynatracePort = port(args, ++i);
        case "--no-seed" -> seed = false;
        case "--no-throttling" -> throttling = false;
        case "-h", "--help" -> {
          System.out.println(
              "usage: java -jar simulators.jar [--vault-port 8200] [--dynatrace-port 8380] [--no-seed]"
                  + " [--no-throttling]");
          return;
        }
        default -> {
          System.err.println("unknown argument: " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
    }
    VaultSimulator vault = VaultSimulator.start(vaultPort);
    DynatraceSimulator dynatrace = DynatraceSimulator.start(dynatracePort);
    if (throttling) {
      dynatrace.throttling(Throttling.realistic());
    }
    System.out.println(
        "Vault simulator:     " + vault.baseUrl() + "   (root token: root, KV v2 at secret/)");
    System.out.println(
        "Dynatrace simulator: " + dynatrace.baseUrl() + "   (environment URL for clients)");
    if (seed) {
      Map<String, String> seeded = SeedState.apply(vault, dynatrace);
      System.out.println("Seeded tokens (ids only; read the secrets from Vault):");
      seeded.forEach((path, id) -> System.out.println("  " + path + "  field token  ->  " + id));
    }
    System.out.println("Dynatrace throttling: " + describe(dynatrace.throttling()));
    System.out.println(
        "Admin API: <base>/__sim/journal, /__sim/faults, /__sim/latency (Vault: /__sim/seal, /__sim/unseal;"
            + " Dynatrace: /__sim/throttling, /__sim/scopes)");
    System.out.println("Running until killed (Ctrl-C).");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  dynatrace.close();
                  vault.close();
                  stop.countDown();
                }));
    stop.await();
  }

  private static String describe(Throttling throttling) {
    if (throttling instanceof Throttling.Capacity c) {
      return c.parallel()
          + " requests at once, "
          + c.queue()
          + " queued for at most "
          + c.queueTimeout().toSeconds()
          + " s, then 429 without rate-limit headers";
    }
    return "off";
  }

  private static int port(String[] args, int i) {
    if (i >= args.length) {
      System.err.println(args[i - 1] + " needs a port number");
      System.exit(2);
    }
    try {
      return Integer.parseInt(args[i]);
    } catch (NumberFormatException e) {
      System.err.println(args[i - 1] + ": \"" + args[i] + "\" is not a port number");
      System.exit(2);
      return -1;
    }
  }
}
