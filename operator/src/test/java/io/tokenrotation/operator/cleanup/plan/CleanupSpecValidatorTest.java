package io.tokenrotation.operator.cleanup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupExclude;
import io.tokenrotation.operator.api.CleanupSelector;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.connect.ConnectionTarget;
import io.tokenrotation.operator.connect.ConnectionTarget.KubernetesLogin;
import io.tokenrotation.operator.connect.ConnectionTarget.ManagementTokenInSecret;
import io.tokenrotation.operator.connect.ConnectionTarget.ManagementTokenInVault;
import io.tokenrotation.operator.rotation.plan.Specs;
import io.tokenrotation.operator.spec.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CleanupSpecValidatorTest {
  /** The shape of a real token: a pasted one must never be echoed. */
  private static final String FULL_TOKEN =
      "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX."
          + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  @Test
  void minimalSpecIsADryRunWithEveryDefault() {
    Validation<EffectiveCleanupSpec> result = CleanupSpecValidator.validate(CleanupSpecs.minimal());

    assertThat(result.problems()).isEmpty();
    EffectiveCleanupSpec e = result.effective().orElseThrow();
    assertThat(e.interval()).isEqualTo(Duration.ofHours(24));
    assertThat(e.action()).isEqualTo(CleanupAction.Report);
    assertThat(e.maxPerRun()).isEqualTo(10);
    assertThat(e.suspended()).isFalse();
    assertThat(e.selector().unusedFor()).contains(Duration.ofDays(90));
    assertThat(e.selector().owners()).isEmpty();
    assertThat(e.selector().namePattern()).isEmpty();
    assertThat(e.selector().scopesAny()).isEmpty();
    assertThat(e.excludedIds()).isEmpty();
    assertThat(e.excludedNames()).isEmpty();
    ConnectionTarget c = e.connection();
    assertThat(c.environmentUrl()).isEqualTo("https://abc12345.live.dynatrace.com");
    assertThat(c.managementToken())
        .isEqualTo(new ManagementTokenInVault("dynatrace/master", "token"));
    assertThat(c.secretPath()).as("a policy rotates no secret").isEmpty();
    ConnectionTarget.Vault vault = c.vault().orElseThrow();
    assertThat(vault.address()).isEqualTo("https://vault.example:8200");
    assertThat(vault.mount()).isEqualTo("secret");
    assertThat(vault.kvVersion()).isEqualTo("auto");
    assertThat(vault.login())
        .isEqualTo(new KubernetesLogin("token-rotator", "kubernetes", "default", Optional.empty()));
  }

  @Test
  void fullSpecKeepsEveryExplicitValue() {
    TokenCleanupPolicySpec spec = CleanupSpecs.minimal();
    spec.setVault(null);
    spec.getDynatrace().getManagementToken().setVault(null);
    spec.getDynatrace()
        .getManagementToken()
        .setSecretRef(Specs.secretRef("dt-management", "token"));
    CleanupSelector selector = spec.getSelector();
    selector.setOwners(List.of("left@example.com", "gone@example.com"));
    selector.setNamePattern("ci-[a-z]+");
    selector.setScopesAny(List.of("DataExport", "logs.ingest"));
    CleanupExclude exclude = new CleanupExclude();
    exclude.setIds(List.of("dt0c01.ST2EY72KQINMH574WMNVI7YN"));
    exclude.setNames(List.of("keep me"));
    spec.setExclude(exclude);
    spec.setAction(CleanupAction.Delete);
    spec.setMaxPerRun(3);
    spec.setSuspend(true);

    EffectiveCleanupSpec e = EffectiveCleanupSpec.of(spec);

    assertThat(e.connection().vault()).as("no Vault needed for a Secret").isEmpty();
    assertThat(e.connection().managementToken())
        .isEqualTo(
            new ManagementTokenInSecret(spec.getDynatrace().getManagementToken().getSecretRef()));
    assertThat(e.selector().owners())
        .containsExactlyInAnyOrder("left@example.com", "gone@example.com");
    assertThat(e.selector().namePattern().orElseThrow().pattern()).isEqualTo("ci-[a-z]+");
    assertThat(e.selector().scopesAny()).containsExactlyInAnyOrder("DataExport", "logs.ingest");
    assertThat(e.excludedIds()).containsExactly("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    assertThat(e.excludedNames()).isEqualTo(Set.of("keep me"));
    assertThat(e.action()).isEqualTo(CleanupAction.Delete);
    assertThat(e.maxPerRun()).isEqualTo(3);
    assertThat(e.suspended()).isTrue();
  }

  static Arguments invalid(String name, Consumer<TokenCleanupPolicySpec> mutation, String problem) {
    return Arguments.of(name, mutation, problem);
  }

  static CleanupSelector selector(Consumer<CleanupSelector> criteria) {
    CleanupSelector s = new CleanupSelector();
    criteria.accept(s);
    return s;
  }

  static CleanupExclude excludeIds(String... ids) {
    CleanupExclude e = new CleanupExclude();
    e.setIds(List.of(ids));
    return e;
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("missing interval", s -> s.setInterval(null), "spec.interval: required"),
        invalid(
            "interval below 1m",
            s -> s.setInterval("30s"),
            "spec.interval: 30s is shorter than the minimum 1m"),
        invalid("missing dynatrace", s -> s.setDynatrace(null), "spec.dynatrace: required"),
        invalid(
            "environment URL without scheme",
            s -> s.getDynatrace().setEnvironmentUrl("abc.live.dynatrace.com"),
            "spec.dynatrace.environmentUrl"),
        invalid(
            "both management token sources",
            s -> s.getDynatrace().getManagementToken().setSecretRef(Specs.secretRef("dt", "token")),
            "exactly one of vault or secretRef"),
        invalid(
            "management token in Vault without spec.vault",
            s -> s.setVault(null),
            "spec.vault: required when spec.dynatrace.managementToken.vault is set"),
        invalid("Vault without auth", s -> s.getVault().setAuth(null), "spec.vault.auth: required"),
        invalid("Vault kvVersion 3", s -> s.getVault().setKvVersion("3"), "spec.vault.kvVersion"),
        invalid("missing selector", s -> s.setSelector(null), "spec.selector: required"),
        invalid(
            "empty selector",
            s -> s.setSelector(new CleanupSelector()),
            "an empty selector would match every token"),
        invalid(
            "selector of empty lists",
            s ->
                s.setSelector(
                    selector(
                        c -> {
                          c.setOwners(List.of());
                          c.setScopesAny(List.of());
                        })),
            "an empty selector would match every token"),
        invalid(
            "unusedFor below a day",
            s -> s.getSelector().setUnusedFor("12h"),
            "spec.selector.unusedFor: 12h is shorter than the minimum 1d"),
        invalid(
            "unusedFor not a duration",
            s -> s.getSelector().setUnusedFor("3 months"),
            "spec.selector.unusedFor: \"3 months\" is not a duration"),
        invalid(
            "blank owner",
            s -> s.getSelector().setOwners(List.of(" ")),
            "spec.selector.owners: empty owner"),
        invalid(
            "namePattern Java accepts but RE2 does not (lookbehind)",
            s -> s.getSelector().setNamePattern("(?<=ci-)x"),
            "spec.selector.namePattern: \"(?<=ci-)x\" is not an RE2 regular expression"),
        invalid(
            "namePattern that does not compile",
            s -> s.getSelector().setNamePattern("ci-[a-z"),
            "is not an RE2 regular expression (missing closing ]"),
        invalid(
            "scope with a space",
            s -> s.getSelector().setScopesAny(List.of("Data Export")),
            "spec.selector.scopesAny: \"Data Export\" is not a scope name"),
        invalid(
            "exclude id that is a name",
            s -> s.setExclude(excludeIds("dt0c01.OK", "automation")),
            "spec.exclude.ids[1]: not a token id"),
        invalid(
            "exclude id that is a full token",
            s -> s.setExclude(excludeIds(FULL_TOKEN)),
            "spec.exclude.ids[0]: looks like a full token with its secret part"),
        invalid("maxPerRun 0", s -> s.setMaxPerRun(0), "spec.maxPerRun: 0 is outside 1..500"),
        invalid(
            "maxPerRun 501", s -> s.setMaxPerRun(501), "spec.maxPerRun: 501 is outside 1..500"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejects(String name, Consumer<TokenCleanupPolicySpec> mutation, String problem) {
    TokenCleanupPolicySpec spec = CleanupSpecs.minimal();
    mutation.accept(spec);

    Validation<EffectiveCleanupSpec> result = CleanupSpecValidator.validate(spec);

    assertThat(result.valid()).isFalse();
    assertThat(result.effective()).isEmpty();
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains(problem));
  }

  @Test
  void aPastedTokenIsNeverEchoed() {
    TokenCleanupPolicySpec spec = CleanupSpecs.minimal();
    spec.setExclude(excludeIds(FULL_TOKEN));

    Validation<EffectiveCleanupSpec> result = CleanupSpecValidator.validate(spec);

    assertThat(result.summary())
        .doesNotContain(FULL_TOKEN)
        .doesNotContain(FULL_TOKEN.substring(28));
    assertThat(result.problems()).noneMatch(p -> p.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
  }

  @Test
  void nullSpec() {
    assertThat(CleanupSpecValidator.validate(null).problems()).containsExactly("spec: required");
  }

  @Test
  void anInvalidUnusedForIsReportedOnceNotAsAnEmptySelectorToo() {
    TokenCleanupPolicySpec spec = CleanupSpecs.minimal();
    spec.getSelector().setUnusedFor("soon");

    assertThat(CleanupSpecValidator.validate(spec).problems())
        .singleElement()
        .asString()
        .startsWith("spec.selector.unusedFor");
  }
}
