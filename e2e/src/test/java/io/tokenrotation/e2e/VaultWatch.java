package io.tokenrotation.e2e;

import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Invariant 1 of docs/rotation.md watched while the operator runs (and dies): Vault never holds a
 * token that no longer authenticates. A token seen not to authenticate counts only if Vault still
 * holds it on a second read, so a rotation between the two reads is not mistaken for a violation.
 * Violations name token ids only.
 */
final class VaultWatch implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vault-watch");
            t.setDaemon(true);
            return t;
          });
  private final List<String> violations = new CopyOnWriteArrayList<>();

  VaultWatch(VaultSimulator vault, DynatraceSimulator dynatrace, List<String> paths) {
    timer.scheduleWithFixedDelay(
        () -> {
          for (String path : paths) {
            String token = token(vault, path);
            if (token != null
                && !dynatrace.authenticates(token)
                && token.equals(token(vault, path))) {
              violations.add(path + " held retired token " + Fleet.idOf(token));
            }
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  private static String token(VaultSimulator vault, String path) {
    return vault.readKv("", "secret", path).map(m -> m.get("token")).orElse(null);
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
