package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.WorkloadKind;
import io.tokenrotation.operator.secret.SecretValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** spec.secretTargets and spec.rolloutRestartTargets: validation, templates, restart decisions. */
class ConsumerPlanTest {
  private static final String TOKEN = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX." + "S".repeat(64);

  private static SecretTarget secret(String name, String key, Map<String, String> template) {
    SecretTarget t = new SecretTarget();
    t.setName(name);
    t.setKey(key);
    t.setTemplate(template);
    return t;
  }

  private static RolloutRestartTarget workload(WorkloadKind kind, String name) {
    RolloutRestartTarget t = new RolloutRestartTarget();
    t.setKind(kind);
    t.setName(name);
    return t;
  }

  private static List<String> problems(Consumer<TokenRotationSpec> change) {
    TokenRotationSpec spec = Specs.minimal();
    change.accept(spec);
    return SpecValidator.validate(spec).problems();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "a Secret name the API would refuse",
            (Consumer<TokenRotationSpec>)
                s -> s.setSecretTargets(List.of(secret("Bad_Name", "apiToken", null))),
            "spec.secretTargets[0].name: a Secret name is required"),
        Arguments.of(
            "a key with a slash",
            (Consumer<TokenRotationSpec>)
                s -> s.setSecretTargets(List.of(secret("app", "api/token", null))),
            "spec.secretTargets[0].key: a Secret key is required"),
        Arguments.of(
            "the same Secret key twice",
            (Consumer<TokenRotationSpec>)
                s ->
                    s.setSecretTargets(
                        List.of(secret("app", "apiToken", null), secret("app", "apiToken", null))),
            "spec.secretTargets[1]: Secret app key apiToken is listed twice"),
        Arguments.of(
            "a template key that is the token's own key",
            (Consumer<TokenRotationSpec>)
                s ->
                    s.setSecretTargets(
                        List.of(secret("app", "apiToken", Map.of("apiToken", "{{ .token }}")))),
            "spec.secretTargets[0].template.apiToken: is the key that holds the token"),
        Arguments.of(
            "an unknown placeholder",
            (Consumer<TokenRotationSpec>)
                s ->
                    s.setSecretTargets(
                        List.of(
                            secret("app", "apiToken", Map.of("auth", "Api-Token {{ .secret }}")))),
            "spec.secretTargets[0].template.auth: unknown placeholder .secret"),
        Arguments.of(
            "template syntax that is not a placeholder",
            (Consumer<TokenRotationSpec>)
                s ->
                    s.setSecretTargets(
                        List.of(secret("app", "apiToken", Map.of("auth", "{{ if .token }}x")))),
            "spec.secretTargets[0].template.auth: \"{{\" that is not"),
        Arguments.of(
            "restarts without a Secret that could change",
            (Consumer<TokenRotationSpec>)
                s -> s.setRolloutRestartTargets(List.of(workload(WorkloadKind.Deployment, "app"))),
            "spec.rolloutRestartTargets: needs spec.secretTargets"),
        Arguments.of(
            "the same workload twice",
            (Consumer<TokenRotationSpec>)
                s -> {
                  s.setSecretTargets(List.of(secret("app", "apiToken", null)));
                  s.setRolloutRestartTargets(
                      List.of(
                          workload(WorkloadKind.Deployment, "app"),
                          workload(WorkloadKind.Deployment, "app")));
                },
            "spec.rolloutRestartTargets[1]: Deployment app is listed twice"),
        Arguments.of(
            "a debounce longer than an hour",
            (Consumer<TokenRotationSpec>) s -> s.setRolloutRestartDebounce("2h"),
            "spec.rolloutRestartDebounce: longer than 1h"));
  }

  @ParameterizedTest(name = "{0} is refused")
  @MethodSource("invalid")
  void refused(String sentence, Consumer<TokenRotationSpec> change, String problem) {
    assertThat(problems(change)).anySatisfy(p -> assertThat(p).startsWith(problem));
  }

  @Test
  void aDeploymentRestartedAfterTwoTemplatedSecretsIsValid() {
    assertThat(
            problems(
                s -> {
                  s.setSecretTargets(
                      List.of(
                          secret("dynakube", "apiToken", null),
                          secret("ci", "token", Map.of("auth", "Api-Token {{ .token }}"))));
                  s.setRolloutRestartTargets(List.of(workload(WorkloadKind.StatefulSet, "ci")));
                }))
        .isEmpty();
  }

  @Test
  void theTemplateGetsTheTokenAndItsIdAndTheKeyTheToken() {
    Map<String, String> template = new LinkedHashMap<>();
    template.put("auth", "Api-Token {{ .token }}");
    template.put("id", "{{.tokenId}}");
    template.put("plain", "no placeholder, $1 and \\ kept");
    Map<String, SecretValue> data =
        SecretTemplates.render(
            secret("app", "apiToken", template),
            SecretValue.of(TOKEN),
            "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX");
    assertThat(data.get("apiToken").reveal()).isEqualTo(TOKEN);
    assertThat(data.get("auth").reveal()).isEqualTo("Api-Token " + TOKEN);
    assertThat(data.get("id").reveal()).isEqualTo("dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX");
    assertThat(data.get("plain").reveal()).isEqualTo("no placeholder, $1 and \\ kept");
    assertThat(data.toString()).as("the map never shows a token").doesNotContain("SSSS");
  }

  @Test
  void theTargetsHashChangesWithAnyPartOfATargetButNotWithMapOrder() {
    String base = SecretTemplates.hash(List.of(secret("app", "apiToken", Map.of("a", "1"))));
    assertThat(SecretTemplates.hash(List.of(secret("app", "apiToken", Map.of("a", "1")))))
        .isEqualTo(base);
    assertThat(SecretTemplates.hash(List.of(secret("app", "token", Map.of("a", "1")))))
        .isNotEqualTo(base);
    assertThat(SecretTemplates.hash(List.of(secret("app", "apiToken", Map.of("a", "2")))))
        .isNotEqualTo(base);
    assertThat(SecretTemplates.hash(List.of(secret("other", "apiToken", Map.of("a", "1")))))
        .isNotEqualTo(base);
  }

  static Stream<Arguments> restarts() {
    return Stream.of(
        Arguments.of(
            "the Secrets moved from one token to another, even when this write found them current"
                + " (a crash came between the Secret write and the status write)",
            "dt0c01.A",
            "dt0c01.B",
            false,
            true),
        Arguments.of("first sync, and the Secret had something else", null, "dt0c01.A", true, true),
        Arguments.of(
            "first sync, and the Secret already held the token (an install over a working setup)",
            null,
            "dt0c01.A",
            false,
            false),
        Arguments.of(
            "an operator restart finds the Secrets current", "dt0c01.A", "dt0c01.A", false, false),
        Arguments.of(
            "a new target of the same token was created", "dt0c01.A", "dt0c01.A", true, true));
  }

  @ParameterizedTest(name = "{0}: restart {4}")
  @MethodSource("restarts")
  void restartNeeded(
      String sentence, String held, String nowHeld, boolean contentChanged, boolean expected) {
    EffectiveSpec spec =
        EffectiveSpec.of(
            withTargets(Specs.minimal(), List.of(workload(WorkloadKind.Deployment, "app"))));
    assertThat(ConsumerDecisions.restartNeeded(spec, held, nowHeld, contentChanged))
        .isEqualTo(expected);
  }

  @Test
  void withoutRestartTargetsNothingIsEverRestarted() {
    EffectiveSpec spec = EffectiveSpec.of(withTargets(Specs.minimal(), List.of()));
    assertThat(ConsumerDecisions.restartNeeded(spec, "dt0c01.A", "dt0c01.B", true)).isFalse();
  }

  private static TokenRotationSpec withTargets(
      TokenRotationSpec spec, List<RolloutRestartTarget> restarts) {
    spec.setSecretTargets(List.of(secret("app", "apiToken", null)));
    spec.setRolloutRestartTargets(restarts);
    return spec;
  }
}
