package io.tokenrotation.operator.reliability;

import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.http.RequestJournal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks, at every change that could break it, that each scenario's Vault secret holds a token
 * Dynatrace accepts: catches a token retired (deleted or disabled) while Vault still held it, or a
 * retired token written to Vault, the one failure a reader of the secret would see. "Vault holds a
 * retired token" can only become true by a Vault write or by a retirement in Dynatrace, so the
 * check runs on each of those (subscribed to the simulators' journals, before the caller gets its
 * answer) instead of polling.
 */
final class VaultObserver {
  private final TestWorld world;
  private final List<CrashRecoveryIT.Scenario> scenarios;
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger vaultWritesChecked = new AtomicInteger();
  private final AtomicInteger retirementsChecked = new AtomicInteger();
  private RequestJournal.Subscription vaultWrites;
  private RequestJournal.Subscription retirements;

  VaultObserver(TestWorld world, List<CrashRecoveryIT.Scenario> scenarios) {
    this.world = world;
    this.scenarios = scenarios;
  }

  void start() {
    vaultWrites =
        world
            .vault
            .journal()
            .subscribe(e -> checkAfter(e, "(POST|PUT|PATCH|DELETE)", "/v1/.*", vaultWritesChecked));
    retirements =
        world
            .dynatrace
            .journal()
            .subscribe(
                e -> checkAfter(e, "(DELETE|PUT)", "/api/v2/apiTokens/.+", retirementsChecked));
    check(); // the state it starts from
  }

  void stop() {
    vaultWrites.close();
    retirements.close();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * How many Vault writes and Dynatrace retirements were checked: a run that rotated anything
   * checked some of each (zero would mean the subscriptions saw nothing, and no violation could
   * have been found).
   */
  int vaultWritesChecked() {
    return vaultWritesChecked.get();
  }

  int retirementsChecked() {
    return retirementsChecked.get();
  }

  private void checkAfter(JournalEntry e, String methods, String paths, AtomicInteger checked) {
    if (e.status() / 100 == 2 && e.method().matches(methods) && e.path().matches(paths)) {
      checked.incrementAndGet();
      check();
    }
  }

  private void check() {
    for (CrashRecoveryIT.Scenario s : scenarios) {
      Map<String, String> data = world.vault.readKv("", s.mount(), s.path()).orElse(Map.of());
      String token = data.get("token");
      if (token != null && !world.dynatrace.authenticates(token)) {
        // re-read: another thread may have replaced the secret between the two reads
        String again = world.vault.readKv("", s.mount(), s.path()).orElse(Map.of()).get("token");
        if (token.equals(again) && !world.dynatrace.authenticates(token)) {
          violations.add(s.name() + " held retired " + TestWorld.idOf(token));
        }
      }
    }
  }
}
