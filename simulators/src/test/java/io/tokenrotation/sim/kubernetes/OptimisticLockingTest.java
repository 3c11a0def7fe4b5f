package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded API server refuses a write based on a stale copy, as a real one does: the operator's
 * crash safety rests on a status PUT carrying an old resourceVersion failing with 409 before any
 * later side effect.
 */
class OptimisticLockingTest {
  private EmbeddedKubernetes kube;

  @BeforeEach
  void start() throws Exception {
    kube = EmbeddedKubernetes.start(0);
    kube.installCrd(Path.of("..", "crds", "tokenrotations.tokenrotation.io-v1.yml"));
    kube.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      rotations() {
    return kube.client().genericKubernetesResources("tokenrotation.io/v1alpha1", "TokenRotation");
  }

  private GenericKubernetesResource created() {
    GenericKubernetesResource tr = new GenericKubernetesResource();
    tr.setApiVersion("tokenrotation.io/v1alpha1");
    tr.setKind("TokenRotation");
    tr.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("team-a").build());
    tr.setAdditionalProperty("spec", Map.of("interval", "1h"));
    return rotations().inNamespace("team-a").resource(tr).create();
  }

  @Test
  void aStatusWriteFromAStaleCopyIsAConflict() {
    GenericKubernetesResource copy = created();
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
    GenericKubernetesResource first =
        rotations().inNamespace("team-a").resource(copy).updateStatus();
    assertThat(first.getMetadata().getResourceVersion())
        .isNotEqualTo(copy.getMetadata().getResourceVersion());

    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.STALE"));
    assertThatThrownBy(() -> rotations().inNamespace("team-a").resource(copy).updateStatus())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    assertThat(
            rotations()
                .inNamespace("team-a")
                .withName("r")
                .get()
                .getAdditionalProperties()
                .get("status"))
        .isEqualTo(Map.of("tokenId", "dt0c01.FIRST"));
  }

  @Test
  void aWriteFromTheLatestCopySucceeds() {
    GenericKubernetesResource copy = created();
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
    GenericKubernetesResource first =
        rotations().inNamespace("team-a").resource(copy).updateStatus();
    first.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.SECOND"));
    GenericKubernetesResource second =
        rotations().inNamespace("team-a").resource(first).updateStatus();
    assertThat(second.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("tokenId", "dt0c01.SECOND"));
  }

  @Test
  void aStatusWriteThatChangesNothingKeepsTheResourceVersion() {
    GenericKubernetesResource copy = created();
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
    GenericKubernetesResource first =
        rotations().inNamespace("team-a").resource(copy).updateStatus();

    GenericKubernetesResource same =
        rotations().inNamespace("team-a").resource(first).updateStatus();

    assertThat(same.getMetadata().getResourceVersion())
        .isEqualTo(first.getMetadata().getResourceVersion());
  }

  @Test
  void aStatusWriteWithoutAResourceVersionIsNotChecked() {
    GenericKubernetesResource copy = created();
    copy.getMetadata().setResourceVersion(null);
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.ANY"));

    GenericKubernetesResource written =
        rotations().inNamespace("team-a").resource(copy).updateStatus();

    assertThat(written.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("tokenId", "dt0c01.ANY"));
  }
}
