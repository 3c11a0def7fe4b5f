package io.tokenrotation.operator.reliability;

import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.rotation.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which tokens the operator's own Vault writes replaced, learned at the checkpoints around the
 * write: just before it (after the successor's id is persisted) the ledger notes what Vault holds;
 * once the write returned, that token was replaced by the operator. The write is check-and-set
 * against what the rotation read, so if it happened it replaced exactly that (an outside write in
 * between makes it fail, and then it is not counted).
 */
final class ReplacedTokenLedger {
  private final TestWorld world;

  /** namespace/name -> the scenario's secret, as {mount, path}. */
  private final Function<String, Optional<String[]>> secretOf;

  private final Map<String, String> beforeWrite = new ConcurrentHashMap<>();
  private final Set<String> replaced = ConcurrentHashMap.newKeySet();

  ReplacedTokenLedger(TestWorld world, Function<String, Optional<String[]>> secretOf) {
    this.world = world;
    this.secretOf = secretOf;
  }

  /** Called from the operator's checkpoint hook, on the reconciling thread of {@code resource}. */
  void reached(String resource, Checkpoint point) {
    if (resource == null) {
      return;
    }
    if (point == Checkpoint.AFTER_NEW_ID_PERSISTED) {
      secretOf
          .apply(resource)
          .flatMap(secret -> world.vault.readKv("", secret[0], secret[1]))
          .map(data -> data.get("token"))
          .ifPresentOrElse(
              token -> beforeWrite.put(resource, TestWorld.idOf(token)),
              () -> beforeWrite.remove(resource));
    } else if (point == Checkpoint.AFTER_VAULT_WRITTEN) {
      String old = beforeWrite.remove(resource);
      if (old != null) {
        replaced.add(old);
      }
    }
  }

  Set<String> replaced() {
    return Set.copyOf(replaced);
  }
}
