package io.tokenrotation.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.tokenrotation.operator.api.TokenRotation;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The informer caches keep no server-side-apply bookkeeping. */
class InformerCachesTest {

  @Test
  void aCachedResourceHasNoManagedFieldsAndKeepsEverythingElse() {
    TokenRotation tr = new TokenRotation();
    tr.setMetadata(
        new ObjectMetaBuilder()
            .withName("app")
            .withNamespace("team-a")
            .withResourceVersion("42")
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl-client-side-apply")
                    .withOperation("Update")
                    .build())
            .build());
    ItemStore<TokenRotation> store = InformerCaches.withoutManagedFields();

    store.put(store.getKey(tr), tr);

    TokenRotation cached = store.get("team-a/app");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getName()).isEqualTo("app");
  }

  @Test
  void onlyAControllerWithOneInformerGetsTheStore() {
    assertThat(InformerCaches.<TokenRotation>withoutManagedFields(Set.of())).isPresent();
    assertThat(InformerCaches.<TokenRotation>withoutManagedFields(Set.of("team-a"))).isPresent();
    assertThat(InformerCaches.<TokenRotation>withoutManagedFields(Set.of("team-a", "team-b")))
        .as("one store shared by two namespaces' informers never syncs")
        .isEmpty();
  }
}
