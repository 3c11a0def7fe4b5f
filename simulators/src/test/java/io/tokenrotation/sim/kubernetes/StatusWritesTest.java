package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A status write on the embedded API server: refused with 409 when it comes from a stale copy, as a
 * real API server does (the operator's crash safety rests on a status PUT carrying an old
 * resourceVersion failing before any later side effect), and otherwise as the mock's own handler
 * wrote it, for the operator's writes (served by {@link StatusWrites}) and for the odd ones left to
 * the mock.
 */
class StatusWritesTest {
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

  private GenericKubernetesResource created(String name) {
    GenericKubernetesResource tr = new GenericKubernetesResource();
    tr.setApiVersion("tokenrotation.io/v1alpha1");
    tr.setKind("TokenRotation");
    tr.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("team-a")
            .withLabels(Map.of("team", "a"))
            .build());
    tr.setAdditionalProperty("spec", Map.of("interval", "1h"));
    return rotations().inNamespace("team-a").resource(tr).create();
  }

  @Test
  void aStatusWriteChangesOnlyTheStatusAndTheVersion() {
    GenericKubernetesResource copy = created("r");
    copy.setAdditionalProperty("spec", Map.of("interval", "2h"));
    copy.getMetadata().setLabels(Map.of("team", "b"));
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));

    GenericKubernetesResource written =
        rotations().inNamespace("team-a").resource(copy).updateStatus();

    GenericKubernetesResource read = rotations().inNamespace("team-a").withName("r").get();
    assertThat(read.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("tokenId", "dt0c01.FIRST"));
    assertThat(read.getAdditionalProperties().get("spec")).isEqualTo(Map.of("interval", "1h"));
    assertThat(read.getMetadata().getLabels()).isEqualTo(Map.of("team", "a"));
    assertThat(read.getMetadata().getResourceVersion())
        .isEqualTo(written.getMetadata().getResourceVersion())
        .isNotEqualTo(copy.getMetadata().getResourceVersion());
  }

  @Test
  void theObjectIsStillFoundByItsLabelsAfterAStatusWrite() {
    GenericKubernetesResource copy = created("r");
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
    rotations().inNamespace("team-a").resource(copy).updateStatus();

    assertThat(rotations().inNamespace("team-a").withLabel("team", "a").list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("r");
  }

  @Test
  void aWatchSeesTheStatusWriteAsAModification() throws Exception {
    GenericKubernetesResource copy = created("r");
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (Watch watch =
        rotations()
            .inNamespace("team-a")
            .withResourceVersion(copy.getMetadata().getResourceVersion())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource resource) {
                    seen.add(action + " " + resource.getAdditionalProperties().get("status"));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
      rotations().inNamespace("team-a").resource(copy).updateStatus();

      // the mock opens every watch with the objects it holds (ADDED), whatever the version asked
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED null");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED {tokenId=dt0c01.FIRST}");
    }
  }

  @Test
  void aStatusWriteWithoutStatusRemovesIt() {
    GenericKubernetesResource copy = created("r");
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.FIRST"));
    GenericKubernetesResource written =
        rotations().inNamespace("team-a").resource(copy).updateStatus();
    written.getAdditionalProperties().remove("status");

    rotations().inNamespace("team-a").resource(written).updateStatus();

    assertThat(rotations().inNamespace("team-a").withName("r").get().getAdditionalProperties())
        .doesNotContainKey("status");
  }

  @Test
  void aBodyWithoutKindIsLeftToTheMockWhichRefusesIt() throws Exception {
    created("r");
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            kube.url()
                                + "/apis/tokenrotation.io/v1alpha1/namespaces/team-a/tokenrotations/r/status"))
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"apiVersion\":\"tokenrotation.io/v1alpha1\",\"metadata\":{\"name\":\"r\"},"
                                + "\"status\":{\"tokenId\":\"dt0c01.X\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(rotations().inNamespace("team-a").withName("r").get().getAdditionalProperties())
        .doesNotContainKey("status");
  }

  @Test
  void aStatusWriteToAnObjectThatDoesNotExistIsNotFound() {
    GenericKubernetesResource ghost = created("r");
    ghost.getMetadata().setName("ghost");
    ghost.getMetadata().setResourceVersion(null);

    assertThatThrownBy(() -> rotations().inNamespace("team-a").resource(ghost).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aStatusWriteFromAStaleCopyIsAConflict() {
    GenericKubernetesResource copy = created("r");
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
    GenericKubernetesResource copy = created("r");
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
    GenericKubernetesResource copy = created("r");
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
    GenericKubernetesResource copy = created("r");
    copy.getMetadata().setResourceVersion(null);
    copy.setAdditionalProperty("status", Map.of("tokenId", "dt0c01.ANY"));

    GenericKubernetesResource written =
        rotations().inNamespace("team-a").resource(copy).updateStatus();

    assertThat(written.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("tokenId", "dt0c01.ANY"));
  }
}
