package io.tokenrotation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class RecentStatusWritesTest {
  private final RecentStatusWrites recent = new RecentStatusWrites();

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
  void aCacheStillShowingTheFirstWriteIsBehind() {
    oneRotationWrote();

    assertThat(recent.behindOurWrites(at("11", "dt0c01.OLD"))).isTrue();
    assertThat(recent.behindOurWrites(at("12", "dt0c01.OLD"))).isTrue();
  }

  @Test
  void aCacheShowingTheVersionTheWritesReplacedIsBehind() {
    oneRotationWrote();

    assertThat(recent.behindOurWrites(at("10", "dt0c01.OLD"))).isTrue();
  }

  @Test
  void aCacheThatCaughtUpIsTheTruthAndTheEntryIsForgotten() {
    oneRotationWrote();

    assertThat(recent.behindOurWrites(at("13", "dt0c01.NEW"))).isFalse();
    assertThat(recent.pending()).isZero();
  }

  @Test
  void aVersionSomeoneElseWroteAfterUsIsTheTruth() {
    oneRotationWrote();

    assertThat(recent.behindOurWrites(at("14", "dt0c01.OLD"))).isFalse();
    assertThat(recent.pending()).isZero();
  }

  @Test
  void aResourceWeNeverWroteIsNotBehind() {
    assertThat(recent.behindOurWrites(at("7", "dt0c01.OTHER"))).isFalse();
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

    assertThat(recent.behindOurWrites(at("10", "x"))).isTrue();
    assertThat(recent.behindOurWrites(at("11", "x"))).isTrue();
    assertThat(recent.behindOurWrites(at("12", "x"))).isFalse();
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
    assertThat(recent.behindOurWrites(local)).isFalse();
    assertThat(recent.isOwnWrite(local)).isFalse();
  }
}
