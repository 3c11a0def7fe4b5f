package io.tokenrotation.operator.reliability;

import io.tokenrotation.operator.it.TestWorld;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Watches, every few milliseconds, that each scenario's Vault secret holds a token Dynatrace
 * accepts: catches a token retired (deleted or disabled) while Vault still held it, the one failure
 * a reader of the secret would see.
 */
final class VaultObserver {
  private final TestWorld world;
  private final List<CrashRecoveryIT.Scenario> scenarios;
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private volatile boolean running;
  private Thread thread;

  VaultObserver(TestWorld world, List<CrashRecoveryIT.Scenario> scenarios) {
    this.world = world;
    this.scenarios = scenarios;
  }

  void start() {
    running = true;
    thread =
        new Thread(
            () -> {
              while (running) {
                for (CrashRecoveryIT.Scenario s : scenarios) {
                  Map<String, String> data =
                      world.vault.readKv("", s.mount(), s.path()).orElse(Map.of());
                  String token = data.get("token");
                  if (token != null && !world.dynatrace.authenticates(token)) {
                    // re-read: the secret may have been replaced between the two reads
                    String again =
                        world.vault.readKv("", s.mount(), s.path()).orElse(Map.of()).get("token");
                    if (token.equals(again) && !world.dynatrace.authenticates(token)) {
                      violations.add(s.name() + " held retired " + TestWorld.idOf(token));
                    }
                  }
                }
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "vault-observer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }
}
