package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.SpecValidator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Vault slot (address, namespace, mount, path, field) each resource names, memoised per
 * resource and generation: conflict checks compare every resource with every other, and validating
 * N specs on each of N reconciles (and on every watch event) was the operator's main CPU cost with
 * a thousand resources.
 */
final class SlotKeys {
  private record Entry(Long generation, Optional<String> slot) {}

  private final ConcurrentHashMap<String, Entry> byUid = new ConcurrentHashMap<>();

  Optional<String> of(TokenRotation resource) {
    String uid =
        resource.getMetadata().getUid() != null
            ? resource.getMetadata().getUid()
            : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    Long generation = resource.getMetadata().getGeneration();
    Entry entry = byUid.get(uid);
    if (entry == null || !Objects.equals(entry.generation(), generation)) {
      entry =
          new Entry(
              generation,
              SpecValidator.validate(resource.getSpec())
                  .effective()
                  .map(EffectiveSpec::vaultSlotKey));
      byUid.put(uid, entry);
    }
    return entry.slot();
  }

  void forget(TokenRotation resource) {
    if (resource.getMetadata().getUid() != null) {
      byUid.remove(resource.getMetadata().getUid());
    }
  }
}
