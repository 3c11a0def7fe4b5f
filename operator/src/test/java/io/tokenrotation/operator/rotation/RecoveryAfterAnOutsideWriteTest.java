package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.managementTokenSecret;
import static io.tokenrotation.operator.testing.Fixtures.mount;
import static io.tokenrotation.operator.testing.Fixtures.path;
import static io.tokenrotation.operator.testing.Fixtures.retire;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the operator writes its successor S to Vault and dies before recording it; someone
 * writes another token H while it is down. Recovery must not conclude "S never reached Vault" from
 * S's absence: the old token O and S are both retired, and status adopts H. Driven through the
 * controller on a simulated clock, with a simulated process death at a checkpoint and a fresh
 * controller afterwards.
 */
class RecoveryAfterAnOutsideWriteTest {
  private static final String APP = "dynatrace/app";

  /** The operator process dies here: an Error, so nothing after the checkpoint runs. */
  static final class ProcessKilled extends Error {
    ProcessKilled(Checkpoint at) {
      super("killed at " + at, null, false, false);
    }
  }

  private ControllerHarness world;
  private Checkpoint killAt;

  @BeforeEach
  void seed() {
    world =
        new ControllerHarness(
                Backoff.DEFAULT,
                null,
                reached -> {
                  if (reached == killAt) {
                    killAt = null;
                    throw new ProcessKilled(reached);
                  }
                })
            .withRootTokenSecret();
    Map<String, String> seeded = world.seedTenMinutesAgo();
    world.vault.mountKv("", "kv", 1);
    world.secret(
        "dt-management",
        Map.of(
            "token",
            world.vault.readKv("", "secret", SeedState.MASTER_PATH).orElseThrow().get("token")));
    assertThat(seeded).isNotEmpty();
  }

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void kvV2HistoryShowsTheSuccessorWasWrittenSoTheRotationIsCompletedAndBothTokensRetire() {
    String old = seedSecret("secret");
    String successor = rotateAndDieAfter(Checkpoint.AFTER_VAULT_WRITTEN, "secret");
    String human = writeOutside("secret");

    world.restart();
    world.settle();

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getPendingRotation()).isNull();
    assertThat(st.getTokenId()).as("what Vault holds now is adopted").isEqualTo(human);
    assertThat(st.getTokenOrigin()).isEqualTo(TokenRotationStatus.ORIGIN_ADOPTED);
    assertThat(st.getRetiredTokens())
        .extracting(RetiredToken::getId)
        .containsExactlyInAnyOrder(old, successor);
    assertThat(st.getLastRotationTime()).as("the rotation did happen").isNotNull();
    assertThat(world.events("a"))
        .extracting(Event::getReason)
        .contains(Reasons.ROTATED, Reasons.VAULT_CHANGED_OUTSIDE);
    assertThat(world.warnings("a")).as("nothing uncertain with KV v2 history").isEmpty();
    assertThat(world.vault.journal().entries())
        .filteredOn(e -> e.query() != null && e.query().startsWith("version="))
        .as("the evidence: one read of the version the operator's write would have created")
        .hasSize(1);

    world.runFor(Duration.ofMinutes(3));

    assertThat(world.dynatrace.token(old)).as("O retired after its grace period").isEmpty();
    assertThat(world.dynatrace.token(successor)).as("S, displaced, retired too").isEmpty();
    assertThat(world.dynatrace.token(human))
        .hasValueSatisfying(t -> assertThat(t.enabled()).isTrue());
    assertThat(world.get("a").getStatus().getRetiredTokens()).isNull();
  }

  @Test
  void kvV1KeepsNoHistorySoBothTokensAreRetiredWithAWarning() {
    String old = seedSecret("kv");
    String successor = rotateAndDieAfter(Checkpoint.AFTER_VAULT_WRITTEN, "kv");
    String human = writeOutside("kv");

    world.restart();
    world.settle();

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getPendingRotation()).isNull();
    assertThat(st.getTokenId()).isEqualTo(human);
    assertThat(st.getRetiredTokens())
        .as("the safe side: the operator may have replaced O")
        .extracting(RetiredToken::getId)
        .containsExactlyInAnyOrder(old, successor);
    assertThat(world.warnings("a"))
        .extracting(Event::getReason)
        .containsExactly(Reasons.ROTATION_OUTCOME_UNKNOWN);
    assertThat(world.warnings("a").get(0).getMessage())
        .contains(old, successor, human, "status.retiredTokens");

    world.runFor(Duration.ofMinutes(3));

    assertThat(world.dynatrace.token(old)).isEmpty();
    assertThat(world.dynatrace.token(successor)).isEmpty();
    assertThat(
            world.dynatrace.authenticates(
                world.vault.readKv("", "kv", APP).orElseThrow().get("token")))
        .isTrue();
  }

  @Test
  void
      kvV2HistoryShowsTheWriteNeverHappenedSoTheSuccessorIsDeletedAndTheAdoptedTokenLeftToItsOwner() {
    String old = seedSecret("secret");
    String successor = rotateAndDieAfter(Checkpoint.AFTER_NEW_ID_PERSISTED, "secret");
    String human = writeOutside("secret");

    world.restart();
    world.settle();

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getTokenId()).isEqualTo(human);
    assertThat(st.getRetiredTokens()).as("O was adopted, and someone else replaced it").isNull();
    assertThat(world.dynatrace.token(successor))
        .as("never reached Vault: deleted at once")
        .isEmpty();
    assertThat(world.dynatrace.token(old)).isPresent();
    assertThat(world.warnings("a"))
        .extracting(Event::getReason)
        .containsExactly(Reasons.ROTATION_ABORTED);
  }

  @Test
  void aTokenTheOperatorCreatedIsRetiredWhenAnOutsideWriteDisplacesIt() {
    seedSecret("secret");
    world.runFor(Duration.ofHours(1)); // rotates: the current token is now one the operator created
    TokenRotationStatus rotated = world.get("a").getStatus();
    assertThat(rotated.getTokenOrigin()).isEqualTo(TokenRotationStatus.ORIGIN_CREATED);
    String ours = rotated.getTokenId();
    world.runFor(Duration.ofMinutes(30));
    String human = writeOutside("secret");

    world.runFor(
        Duration.ofMinutes(
            35)); // the next rotation falls due: it reads Vault and finds the human's token

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getTokenId()).isEqualTo(human);
    assertThat(world.dynatrace.token(ours))
        .as("created by the operator, displaced: retired")
        .isEmpty();
    assertThat(world.dynatrace.token(human)).isPresent();
  }

  @Test
  void aSuccessorAlreadyDeletedIsNotDeletedAgainWhenTheStatusWriteIsLost() {
    seedSecret("secret");
    String successor = rotateAndDieAfter(Checkpoint.AFTER_NEW_ID_PERSISTED, "secret");
    world.dynatrace.journal().clear();

    world.restart();
    world.failNextStatusWrites(
        1); // the write clearing pendingRotation is lost: recovery runs again
    world.runFor(Duration.ofSeconds(5));

    assertThat(world.dynatrace.journal().count("DELETE", "/api/v2/apiTokens/" + successor))
        .isEqualTo(1);
    assertThat(world.get("a").getStatus().getPendingRotation()).isNull();
    assertThat(world.dynatrace.token(successor)).isEmpty();
  }

  // ---------------------------------------------------------------- the sequence

  /**
   * A token 10 minutes old in {@code <mount>/dynatrace/app}, with another field; resource "a"
   * adopts it.
   */
  private String seedSecret(String kvMount) {
    IssuedToken token =
        world.dynatrace.createToken("app", SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("token", token.token());
    data.put("user", "app-user");
    world.vault.writeKv("", kvMount, APP, data);
    world.apply(
        rotation(
            "a",
            world,
            path(APP),
            mount(kvMount),
            interval("1h"),
            retire(RetireAction.Delete, "2m"),
            managementTokenSecret("dt-management", "token")));
    world.settle();
    assertThat(world.get("a").getStatus().getTokenId()).isEqualTo(token.id());
    return token.id();
  }

  /**
   * Lets the rotation fall due and kills the operator at {@code point}; returns the successor's id.
   */
  private String rotateAndDieAfter(Checkpoint point, String kvMount) {
    List<String> before = world.dynatrace.tokens().stream().map(TokenView::id).toList();
    killAt = point;
    assertThatThrownBy(() -> world.runFor(Duration.ofHours(1))).isInstanceOf(ProcessKilled.class);
    List<String> created =
        world.dynatrace.tokens().stream()
            .map(TokenView::id)
            .filter(id -> !before.contains(id))
            .toList();
    assertThat(created).hasSize(1);
    String inVault = world.vault.readKv("", kvMount, APP).orElseThrow().get("token");
    assertThat(inVault.startsWith(created.get(0) + "."))
        .as("the successor reached Vault exactly when the operator died after the write")
        .isEqualTo(point == Checkpoint.AFTER_VAULT_WRITTEN);
    return created.get(0);
  }

  /** Someone writes a fresh token of their own, keeping the other fields; returns its id. */
  private String writeOutside(String kvMount) {
    IssuedToken human =
        world.dynatrace.createToken("app-by-hand", SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    Map<String, String> data =
        new LinkedHashMap<>(world.vault.readKv("", kvMount, APP).orElseThrow());
    data.put("token", human.token());
    world.vault.writeKv("", kvMount, APP, data);
    return human.id();
  }
}
