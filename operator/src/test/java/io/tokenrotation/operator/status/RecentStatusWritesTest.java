package io.tokenrotation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class RecentStatusWritesTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final RecentStatusWrites recent = new RecentStatusWrites(JSON::clone);

  /** A copy of the resource as the API server would hold it at {@code version}. */
  private static TokenRotation at(String version, String tokenId) {
    TokenRotation tr = Fixtures.rotation("a", "http://vault", "http://dt");
    tr.getMetadata().setNamespace("team");
    tr.getMetadata().setUid("uid-a");
    tr.getMetadata().setResourceVersion(version);
    tr.setStatus(new TokenRotationStatus());
    tr.getStatus().setTokenId(tokenId);
    return tr;
  }

  /** Three writes of one rotation: intent (11), successor (12), outcome (13), based on 10. */
  private void oneRotationWrote() {
    recent.wrote("10", at("11", "dt0c01.OLD"));
    recent.wrote("11", at("12", "dt0c01.OLD"));
    recent.wrote("12", at("13", "dt0c01.NEW"));
  }

  @Test
  void aCacheStillShowingTheFirstWriteIsAnsweredWithTheLatestWrite() {
    oneRotationWrote();

    TokenRotation seen = recent.freshest(at("11", "dt0c01.OLD"));

    assertThat(seen.getMetadata().getResourceVersion()).isEqualTo("13");
    assertThat(seen.getStatus().getTokenId()).isEqualTo("dt0c01.NEW");
  }

  @Test
  void aCacheShowingTheVersionTheWritesReplacedIsAnsweredWithTheLatestWrite() {
    oneRotationWrote();

    assertThat(recent.freshest(at("10", "dt0c01.OLD")).getMetadata().getResourceVersion())
        .isEqualTo("13");
  }

  @Test
  void theAnswerIsACopyTheReconcileMayChange() {
    oneRotationWrote();

    recent.freshest(at("11", "x")).getStatus().setTokenId("changed by a reconcile");

    assertThat(recent.freshest(at("11", "x")).getStatus().getTokenId()).isEqualTo("dt0c01.NEW");
  }

  @Test
  void aCacheThatCaughtUpIsTheTruthAndTheEntryIsForgotten() {
    oneRotationWrote();
    TokenRotation caughtUp = at("13", "dt0c01.NEW");

    assertThat(recent.freshest(caughtUp)).isSameAs(caughtUp);
    assertThat(recent.pending()).isZero();
  }

  @Test
  void aVersionSomeoneElseWroteAfterUsIsTheTruth() {
    oneRotationWrote();
    TokenRotation theirs = at("14", "dt0c01.OLD");

    assertThat(recent.freshest(theirs)).isSameAs(theirs);
    assertThat(recent.pending()).isZero();
  }

  @Test
  void aResourceWeNeverWroteIsLeftAsTheCacheHasIt() {
    TokenRotation other = at("7", "dt0c01.OTHER");

    assertThat(recent.freshest(other)).isSameAs(other);
  }

  @Test
  void theWatchEventsOfOurOwnWritesAreRecognised() {
    oneRotationWrote();

    assertThat(recent.isOwnWrite(at("11", "x"))).isTrue();
    assertThat(recent.isOwnWrite(at("12", "x"))).isTrue();
    assertThat(recent.pending()).as("not caught up yet").isEqualTo(1);
    assertThat(recent.isOwnWrite(at("13", "x"))).isTrue();
    assertThat(recent.pending()).as("caught up with the latest write").isZero();
  }

  @Test
  void theEventOfTheVersionWeBuiltOnOrOfSomeoneElsesWriteIsNotOurs() {
    oneRotationWrote();

    assertThat(recent.isOwnWrite(at("10", "x"))).isFalse();
    assertThat(recent.isOwnWrite(at("14", "x"))).isFalse();
  }

  @Test
  void writesOfConsecutiveReconcilesChainUp() {
    recent.wrote("10", at("11", "dt0c01.OLD"));
    // the next reconcile read 11 from JOSDK's copy while the informer still held 10
    recent.wrote("11", at("12", "dt0c01.NEW"));

    assertThat(recent.freshest(at("10", "x")).getMetadata().getResourceVersion()).isEqualTo("12");
    assertThat(recent.freshest(at("11", "x")).getMetadata().getResourceVersion()).isEqualTo("12");
  }

  @Test
  void aDeletedResourceIsForgotten() {
    oneRotationWrote();

    recent.forget(at("13", "x"));

    assertThat(recent.pending()).isZero();
  }

  @Test
  void anObjectWithoutUidIsNeverTracked() {
    TokenRotation local = at("11", "x");
    local.getMetadata().setUid(null);

    recent.wrote("10", local);

    assertThat(recent.pending()).isZero();
    assertThat(recent.freshest(local)).isSameAs(local);
    assertThat(recent.isOwnWrite(local)).isFalse();
  }
}
