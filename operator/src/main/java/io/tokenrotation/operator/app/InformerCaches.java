package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Optional;
import java.util.Set;

/**
 * What the informers keep of each resource. A real API server adds {@code metadata.managedFields}
 * (server-side apply bookkeeping: one entry per field manager, listing every field it set) to every
 * object; the operator never reads it, and with 10,000 TokenRotations it was what made a 128 MiB
 * heap overflow on a real API server while the embedded one, which sends none, fit in 112 MiB
 * (docs/benchmarks.md). Status writes are updates, and an update without managedFields leaves the
 * server's record of them as it is.
 */
final class InformerCaches {
  private InformerCaches() {}

  /**
   * The store for a controller watching {@code namespaces} (empty: all). JOSDK gives the one store
   * it is configured with to every informer it starts, one per watched namespace, and two informers
   * sharing a store never sync (found by the namespaced-overlay e2e test: nothing was reconciled).
   * So only with one informer, i.e. all namespaces or exactly one; with several, the caches keep
   * managedFields (a namespaced operator usually watches far fewer resources).
   */
  static <R extends HasMetadata> Optional<ItemStore<R>> withoutManagedFields(
      Set<String> namespaces) {
    return namespaces.size() <= 1 ? Optional.of(withoutManagedFields()) : Optional.empty();
  }

  static <R extends HasMetadata> ItemStore<R> withoutManagedFields() {
    return new TransformingItemStore<>(
        resource -> {
          if (resource.getMetadata() != null) {
            resource.getMetadata().setManagedFields(null);
          }
          return resource;
        });
  }
}
