package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.api.VaultSecretRef;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.rotation.plan.RotationDecisions.Retirement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decisions inside a rotation's steps, keyed by sentences. */
class RotationDecisionsTest {
  static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  static final String SECRET = "http://vault secret/app#token";

  static final VaultSecretRef APP = VaultSecretRef.of("http://vault", "", "secret", "app", "token");

  static Stream<Arguments> lookups() {
    return Stream.of(
        Arguments.of(
            "Vault holds the version status recorded: no lookup",
            status(7L, SECRET),
            SECRET,
            7L,
            true),
        Arguments.of(
            "another version: someone wrote the secret, look up",
            status(7L, SECRET),
            SECRET,
            8L,
            false),
        Arguments.of(
            "the same version number of another secret holds another token",
            status(7L, SECRET),
            "http://vault secret/other#token",
            7L,
            false),
        Arguments.of(
            "KV v1 has no versions: always look up", status(0L, SECRET), SECRET, 0L, false),
        Arguments.of("nothing adopted yet", new TokenRotationStatus(), SECRET, 7L, false),
        Arguments.of(
            "status recorded the structured field and the display wording changed since: no lookup",
            withRef(status(7L, "http://vault (old wording) secret/app#token"), APP),
            SECRET,
            7L,
            true),
        Arguments.of(
            "the last attempt failed, but Vault still holds the version status recorded: no lookup",
            failed(status(7L, SECRET)),
            SECRET,
            7L,
            true),
        Arguments.of(
            "status recorded another structured field under the same display string: look up",
            withRef(
                status(7L, SECRET), VaultSecretRef.of("http://vault", "", "kv", "app", "token")),
            SECRET,
            7L,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lookups")
  void lookupSkip(
      String sentence, TokenRotationStatus st, String secret, long version, boolean skip) {
    SecretField current =
        new SecretField(
            secret.equals(SECRET)
                ? APP
                : VaultSecretRef.of("http://vault", "", "secret", "other", "token"),
            secret);
    assertThat(RotationDecisions.statusKnowsVaultToken(st, current, version)).isEqualTo(skip);
  }

  static Stream<Arguments> reads() {
    return Stream.of(
        Arguments.of(
            "status knows the token at a KV v2 version of this field: rotate without reading",
            status(7L, SECRET),
            true),
        Arguments.of("KV v1 (no version, no check-and-set): read first", status(0L, SECRET), false),
        Arguments.of("no version recorded: read first", status(null, SECRET), false),
        Arguments.of(
            "status names another secret field (spec.vault was edited): read and adopt",
            status(7L, "http://vault secret/other#token"),
            false),
        Arguments.of("nothing adopted yet: read", new TokenRotationStatus(), false),
        Arguments.of(
            "a token without a recorded name: read and look it up",
            withName(status(7L, SECRET), null),
            false),
        Arguments.of(
            "the last attempt failed (e.g. the secret was gone): read first, create nothing blind",
            failed(status(7L, SECRET)),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void readBeforeRotating(String sentence, TokenRotationStatus st, boolean withoutReading) {
    assertThat(RotationDecisions.rotatesWithoutReading(st, new SecretField(APP, SECRET)))
        .isEqualTo(withoutReading);
  }

  static Stream<Arguments> atOnce() {
    return Stream.of(
        Arguments.of("grace period 0: retired with the outcome write", "PT0S", false, true),
        Arguments.of("a grace period: retired when it is over", "PT2M", false, false),
        Arguments.of(
            "grace period 0 but the resource rotates its management token: Dynatrace refuses to"
                + " retire the calling token, so the successor does it later",
            "PT0S",
            true,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("atOnce")
  void retiredAtOnce(String sentence, String grace, boolean itsManagementToken, boolean atOnce) {
    assertThat(RotationDecisions.retiresAtOnce(Duration.parse(grace), itsManagementToken))
        .isEqualTo(atOnce);
  }

  private static TokenRotationStatus failed(TokenRotationStatus st) {
    LastFailure failure = new LastFailure();
    failure.setReason("SecretNotFound");
    st.setLastFailure(failure);
    return st;
  }

  private static TokenRotationStatus withName(TokenRotationStatus st, String name) {
    st.setTokenName(name);
    return st;
  }

  private static TokenRotationStatus withRef(TokenRotationStatus st, VaultSecretRef ref) {
    st.setVaultSecretRef(ref);
    return st;
  }

  static Stream<Arguments> orphans() {
    Instant started = NOW;
    return Stream.of(
        Arguments.of(
            "same name, scopes and owner, created right after the rotation started",
            token("app", "me", List.of("A", "B"), started.plusSeconds(2)),
            true),
        Arguments.of(
            "scopes in another order are the same scopes",
            token("app", "me", List.of("B", "A"), started.plusSeconds(2)),
            true),
        Arguments.of(
            "created a little before startedAt: clock skew",
            token("app", "me", List.of("A", "B"), started.minusSeconds(4)),
            true),
        Arguments.of(
            "created well before the rotation started",
            token("app", "me", List.of("A", "B"), started.minusSeconds(30)),
            false),
        Arguments.of(
            "created after the create call could have run",
            token("app", "me", List.of("A", "B"), started.plusSeconds(61)),
            false),
        Arguments.of(
            "another owner: someone else's token",
            token("app", "you", List.of("A", "B"), started.plusSeconds(2)),
            false),
        Arguments.of(
            "another name", token("app2", "me", List.of("A", "B"), started.plusSeconds(2)), false),
        Arguments.of(
            "other scopes", token("app", "me", List.of("A"), started.plusSeconds(2)), false),
        Arguments.of(
            "no creation date: never deleted on a guess",
            token("app", "me", List.of("A", "B"), null),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orphans")
  void orphanPredicate(String sentence, ApiToken token, boolean orphan) {
    PendingRotation pending = new PendingRotation();
    pending.startedAt(NOW);
    pending.setTokenName("app");
    pending.setScopes(List.of("A", "B"));
    assertThat(RotationDecisions.lostSuccessor(token, pending, "me")).isEqualTo(orphan);
  }

  static Stream<Arguments> retirements() {
    return Stream.of(
        Arguments.of(
            "grace period not over",
            retired(RetireAction.Delete, NOW.plusSeconds(5), null),
            false,
            Retirement.WAIT),
        Arguments.of(
            "Delete, due", retired(RetireAction.Delete, NOW, null), false, Retirement.DELETE),
        Arguments.of(
            "no action recorded means Delete", retired(null, NOW, null), false, Retirement.DELETE),
        Arguments.of(
            "Disable, due", retired(RetireAction.Disable, NOW, null), false, Retirement.DISABLE),
        Arguments.of(
            "DisableThenDelete, due: disable now, delete later",
            retired(RetireAction.DisableThenDelete, NOW, null),
            false,
            Retirement.DISABLE_THEN_DELETE_LATER),
        Arguments.of(
            "DisableThenDelete, disabled and deleteAfter over: delete",
            retired(RetireAction.DisableThenDelete, NOW, NOW.minusSeconds(60)),
            false,
            Retirement.DELETE),
        Arguments.of(
            "deletion retires everything now, grace period or not",
            retired(RetireAction.Delete, NOW.plusSeconds(600), null),
            true,
            Retirement.DELETE),
        Arguments.of(
            "deletion: DisableThenDelete not yet disabled is disabled, not deleted",
            retired(RetireAction.DisableThenDelete, NOW.plusSeconds(600), null),
            true,
            Retirement.DISABLE),
        Arguments.of(
            "deletion leaves a disabled token disabled (inside its deleteAfter window)",
            retired(RetireAction.DisableThenDelete, NOW.plusSeconds(600), NOW.minusSeconds(60)),
            true,
            Retirement.LEAVE_DISABLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retirements")
  void retirement(String sentence, RetiredToken token, boolean onDeletion, Retirement expected) {
    assertThat(RotationDecisions.retirement(token, onDeletion, NOW)).isEqualTo(expected);
  }

  static Stream<Arguments> displaced() {
    return Stream.of(
        Arguments.of(
            "the operator created the displaced token: retire it",
            origin(TokenRotationStatus.ORIGIN_CREATED),
            true),
        Arguments.of(
            "the operator adopted it: its owner's to retire",
            origin(TokenRotationStatus.ORIGIN_ADOPTED),
            false),
        Arguments.of(
            "origin not recorded (an older operator wrote the status): treated as adopted",
            origin(null),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("displaced")
  void retireWhenDisplaced(String sentence, TokenRotationStatus st, boolean retire) {
    assertThat(RotationDecisions.retireWhenDisplaced(st)).isEqualTo(retire);
  }

  private static TokenRotationStatus origin(String origin) {
    TokenRotationStatus st = status(7L, SECRET);
    st.setTokenOrigin(origin);
    return st;
  }

  private static TokenRotationStatus status(Long version, String secret) {
    TokenRotationStatus st = new TokenRotationStatus();
    st.setTokenId("dt0c01.AAAA");
    st.setTokenName("app");
    st.setVaultSecretVersion(version);
    st.setVaultSecret(secret);
    return st;
  }

  private static ApiToken token(String name, String owner, List<String> scopes, Instant created) {
    return new ApiToken(
        "dt0c01.ORPHAN", name, true, owner, scopes, created, null, null, null, false);
  }

  private static RetiredToken retired(RetireAction action, Instant due, Instant disabledAt) {
    RetiredToken t = new RetiredToken();
    t.setId("dt0c01.OLD");
    t.setAction(action);
    t.dueAt(due);
    t.disabledAt(disabledAt);
    return t;
  }
}
