package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.OldTokenSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultFieldRef;
import io.tokenrotation.operator.connect.ConnectionTarget.KubernetesLogin;
import io.tokenrotation.operator.connect.ConnectionTarget.ManagementTokenInSecret;
import io.tokenrotation.operator.connect.ConnectionTarget.ManagementTokenInVault;
import io.tokenrotation.operator.connect.ConnectionTarget.TokenFromSecret;
import io.tokenrotation.operator.spec.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

  @Test
  void minimalSpecGetsEveryDefault() {
    Validation<EffectiveSpec> result = SpecValidator.validate(Specs.minimal());

    assertThat(result.problems()).isEmpty();
    assertThat(result.valid()).isTrue();
    EffectiveSpec e = result.effective().orElseThrow();
    assertThat(e.interval()).isEqualTo(Duration.ofHours(24));
    assertThat(e.vaultAddress()).isEqualTo("https://vault.example:8200");
    assertThat(e.vaultNamespace()).isEmpty();
    assertThat(e.mount()).isEqualTo("secret");
    assertThat(e.path()).isEqualTo("dynatrace/automation_script1");
    assertThat(e.field()).isEqualTo("token");
    assertThat(e.kvVersion()).isEqualTo("auto");
    assertThat(e.vaultLogin())
        .isEqualTo(new KubernetesLogin("token-rotator", "kubernetes", "default", Optional.empty()));
    assertThat(e.vaultCa()).isEmpty();
    assertThat(e.environmentUrl()).isEqualTo("https://abc12345.live.dynatrace.com");
    assertThat(e.managementToken())
        .isEqualTo(new ManagementTokenInVault("dynatrace/master", "token"));
    assertThat(e.newTokenName()).isEmpty();
    assertThat(e.newTokenScopes()).isEmpty();
    assertThat(e.expiresAfter()).isEmpty();
    assertThat(e.retireAction()).isEqualTo(RetireAction.DisableThenDelete);
    assertThat(e.gracePeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(e.deleteAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(e.suspended()).isFalse();
    assertThat(e.deletionPolicy()).isEqualTo(DeletionPolicy.Retain);
    assertThat(e.rotatesItsManagementToken()).isFalse();
    assertThat(e.vaultSlotKey())
        .isEqualTo("https://vault.example:8200||secret|dynatrace/automation_script1|token");
  }

  @Test
  void fullSpecKeepsEveryExplicitValue() {
    TokenRotationSpec spec = Specs.minimal();
    spec.setInterval("1h30m");
    spec.getVault().setAddress("https://vault.example:8200/");
    spec.getVault().setNamespace("admin/team-a");
    spec.getVault().setMount("kv");
    spec.getVault().setField("api-token");
    spec.getVault().setKvVersion("1");
    spec.getVault().setCaSecretRef(Specs.secretRef("vault-ca", "ca.crt"));
    spec.getVault().getAuth().getKubernetes().setMountPath("k8s/cluster-a");
    spec.getVault().getAuth().getKubernetes().setServiceAccount("token-rotator");
    spec.getVault().getAuth().getKubernetes().setAudience("vault");
    spec.getDynatrace().setEnvironmentUrl("https://host.example/e/ENV-ID");
    spec.getDynatrace().getManagementToken().getVault().setField("value");
    NewTokenSpec newToken = new NewTokenSpec();
    newToken.setName("automation-script1");
    newToken.setScopes(List.of("metrics.ingest", "logs.ingest"));
    newToken.setExpiresAfter("2d");
    spec.setNewToken(newToken);
    OldTokenSpec oldToken = new OldTokenSpec();
    oldToken.setAction(RetireAction.DisableThenDelete);
    oldToken.setGracePeriod("0s");
    oldToken.setDeleteAfter("1w");
    spec.setOldToken(oldToken);
    spec.setSuspend(true);
    spec.setDeletionPolicy(DeletionPolicy.Revoke);

    EffectiveSpec e = SpecValidator.validate(spec).effective().orElseThrow();

    assertThat(e.interval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(e.vaultAddress())
        .as("trailing slash dropped")
        .isEqualTo("https://vault.example:8200");
    assertThat(e.vaultNamespace()).isEqualTo("admin/team-a");
    assertThat(e.mount()).isEqualTo("kv");
    assertThat(e.field()).isEqualTo("api-token");
    assertThat(e.kvVersion()).isEqualTo("1");
    assertThat(e.vaultCa()).get().extracting(r -> r.getName()).isEqualTo("vault-ca");
    assertThat(e.vaultLogin())
        .isEqualTo(
            new KubernetesLogin(
                "token-rotator", "k8s/cluster-a", "token-rotator", Optional.of("vault")));
    assertThat(e.environmentUrl()).isEqualTo("https://host.example/e/ENV-ID");
    assertThat(e.managementToken())
        .isEqualTo(new ManagementTokenInVault("dynatrace/master", "value"));
    assertThat(e.newTokenName()).contains("automation-script1");
    assertThat(e.newTokenScopes()).containsExactly("metrics.ingest", "logs.ingest");
    assertThat(e.expiresAfter()).contains(Duration.ofDays(2));
    assertThat(e.retireAction()).isEqualTo(RetireAction.DisableThenDelete);
    assertThat(e.gracePeriod()).isZero();
    assertThat(e.deleteAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(e.suspended()).isTrue();
    assertThat(e.deletionPolicy()).isEqualTo(DeletionPolicy.Revoke);
  }

  @Test
  void tokenAuthAndManagementTokenFromSecret() {
    TokenRotationSpec spec = Specs.minimal();
    spec.getVault().getAuth().setKubernetes(null);
    spec.getVault().getAuth().setTokenSecretRef(Specs.secretRef("vault-token", "token"));
    spec.getDynatrace().getManagementToken().setVault(null);
    spec.getDynatrace()
        .getManagementToken()
        .setSecretRef(Specs.secretRef("dynatrace-management", "token"));

    EffectiveSpec e = SpecValidator.validate(spec).effective().orElseThrow();

    assertThat(e.vaultLogin()).isInstanceOf(TokenFromSecret.class);
    assertThat(((TokenFromSecret) e.vaultLogin()).secret().getName()).isEqualTo("vault-token");
    assertThat(e.managementToken()).isInstanceOf(ManagementTokenInSecret.class);
  }

  @Test
  void selfRotationIsRecognised() {
    TokenRotationSpec spec = Specs.minimal();
    spec.getVault().setPath("dynatrace/master");

    EffectiveSpec e = SpecValidator.validate(spec).effective().orElseThrow();

    assertThat(e.rotatesItsManagementToken()).isTrue();
  }

  static Stream<Arguments> emptyStrings() {
    return Stream.of(
        Arguments.of(
            "spec.vault.field", (Consumer<TokenRotationSpec>) s -> s.getVault().setField("")),
        Arguments.of(
            "spec.dynatrace.managementToken.vault.field",
            (Consumer<TokenRotationSpec>)
                s -> s.getDynatrace().getManagementToken().getVault().setField("")),
        Arguments.of(
            "spec.vault.mount", (Consumer<TokenRotationSpec>) s -> s.getVault().setMount("")),
        Arguments.of(
            "spec.vault.kvVersion",
            (Consumer<TokenRotationSpec>) s -> s.getVault().setKvVersion("")),
        Arguments.of(
            "spec.vault.auth.kubernetes.mountPath",
            (Consumer<TokenRotationSpec>)
                s -> s.getVault().getAuth().getKubernetes().setMountPath("")),
        Arguments.of(
            "spec.vault.auth.kubernetes.serviceAccount",
            (Consumer<TokenRotationSpec>)
                s -> s.getVault().getAuth().getKubernetes().setServiceAccount("")),
        Arguments.of(
            "spec.oldToken.gracePeriod",
            (Consumer<TokenRotationSpec>)
                s -> {
                  s.setOldToken(new OldTokenSpec());
                  s.getOldToken().setGracePeriod("");
                }));
  }

  /**
   * The CRD schema refuses these empty strings (minLength/pattern); an API server that does not
   * apply the schema hands them over as they are. Taking the default then (field "" read as
   * "token") would make one manifest mean two things: refused, with the field named, exactly once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("emptyStrings")
  void anEmptyStringIsRefusedNotDefaulted(String field, Consumer<TokenRotationSpec> mutation) {
    TokenRotationSpec spec = Specs.minimal();
    mutation.accept(spec);

    Validation<EffectiveSpec> result = SpecValidator.validate(spec);

    assertThat(result.effective()).isEmpty();
    assertThat(result.problems()).singleElement().asString().startsWith(field + ": empty");
  }

  @Test
  void anEmptyFieldSaysWhatToDo() {
    TokenRotationSpec spec = Specs.minimal();
    spec.getVault().setField("");

    assertThat(SpecValidator.validate(spec).problems())
        .containsExactly(
            "spec.vault.field: empty; name the field that holds the token, or leave it out for the default \"token\"");
  }

  static Arguments invalid(String name, Consumer<TokenRotationSpec> mutation, String problem) {
    return Arguments.of(name, mutation, problem);
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("missing interval", s -> s.setInterval(null), "spec.interval: required"),
        invalid("missing vault", s -> s.setVault(null), "spec.vault: required"),
        invalid("missing dynatrace", s -> s.setDynatrace(null), "spec.dynatrace: required"),
        invalid(
            "missing vault address",
            s -> s.getVault().setAddress(null),
            "spec.vault.address: required"),
        invalid("missing vault path", s -> s.getVault().setPath(null), "spec.vault.path: required"),
        invalid("missing vault auth", s -> s.getVault().setAuth(null), "spec.vault.auth: required"),
        invalid(
            "missing management token",
            s -> s.getDynatrace().setManagementToken(null),
            "spec.dynatrace.managementToken: required"),
        invalid(
            "missing environment URL",
            s -> s.getDynatrace().setEnvironmentUrl(null),
            "spec.dynatrace.environmentUrl: required"),
        invalid(
            "interval 30s below the 1m minimum",
            s -> s.setInterval("30s"),
            "shorter than the minimum 1m"),
        invalid(
            "interval 0.01h (36s) below the 1m minimum",
            s -> s.setInterval("0.01h"),
            "shorter than the minimum 1m"),
        invalid(
            "interval 30s20s below the 1m minimum",
            s -> s.setInterval("30s20s"),
            "shorter than the minimum 1m"),
        invalid("interval 0m", s -> s.setInterval("0m"), "shorter than the minimum 1m"),
        invalid(
            "interval not a duration",
            s -> s.setInterval("1y"),
            "spec.interval: \"1y\" is not a duration"),
        invalid("interval with a space", s -> s.setInterval("10 m"), "is not a duration"),
        invalid(
            "both auth methods",
            s -> s.getVault().getAuth().setTokenSecretRef(Specs.secretRef("vt", "token")),
            "spec.vault.auth: exactly one of kubernetes or tokenSecretRef"),
        invalid(
            "neither auth method",
            s -> s.getVault().getAuth().setKubernetes(null),
            "spec.vault.auth: exactly one of kubernetes or tokenSecretRef"),
        invalid(
            "both management token sources",
            s -> s.getDynatrace().getManagementToken().setSecretRef(Specs.secretRef("mt", "token")),
            "spec.dynatrace.managementToken: exactly one of vault or secretRef"),
        invalid(
            "neither management token source",
            s -> s.getDynatrace().getManagementToken().setVault(null),
            "spec.dynatrace.managementToken: exactly one of vault or secretRef"),
        invalid(
            "vault address without scheme",
            s -> s.getVault().setAddress("vault.example:8200"),
            "spec.vault.address: \"vault.example:8200\" is not an http(s) URL"),
        invalid(
            "vault address ftp://",
            s -> s.getVault().setAddress("ftp://vault.example"),
            "spec.vault.address: \"ftp://vault.example\" is not an http(s) URL"),
        invalid(
            "environment URL with a query",
            s ->
                s.getDynatrace()
                    .setEnvironmentUrl("https://abc12345.live.dynatrace.com/?Api-Token=x"),
            "spec.dynatrace.environmentUrl: \"https://abc12345.live.dynatrace.com/?Api-Token=x\" is not an http(s) URL"
                + " with a host and no query"),
        invalid(
            "environment URL with user info",
            s -> s.getDynatrace().setEnvironmentUrl("https://u:p@host.example"),
            "is not an http(s) URL"),
        invalid(
            "environment URL unparseable",
            s -> s.getDynatrace().setEnvironmentUrl("https://host example"),
            "is not a valid URL"),
        invalid(
            "path with leading '/'",
            s -> s.getVault().setPath("/dynatrace/master"),
            "spec.vault.path: must not start with '/'"),
        invalid(
            "path with '..'",
            s -> s.getVault().setPath("dynatrace/../master"),
            "spec.vault.path: must not contain '.' or '..' segments"),
        invalid(
            "path that is '..'",
            s -> s.getVault().setPath(".."),
            "must not contain '.' or '..' segments"),
        invalid(
            "path with './'",
            s -> s.getVault().setPath("./master"),
            "must not contain '.' or '..' segments"),
        invalid(
            "path ending in '/.'", s -> s.getVault().setPath("dynatrace/."), "is not a Vault path"),
        invalid(
            "path with trailing '/'",
            s -> s.getVault().setPath("dynatrace/"),
            "is not a Vault path"),
        invalid(
            "path with empty segment",
            s -> s.getVault().setPath("dynatrace//master"),
            "is not a Vault path"),
        invalid(
            "blank field",
            s -> s.getVault().setField(" "),
            "spec.vault.field: \" \" is not a field name"),
        invalid(
            "field with spaces",
            s -> s.getVault().setField("api token"),
            "spec.vault.field: \"api token\" is not a field name"),
        invalid(
            "oversized field",
            s -> s.getVault().setField("f".repeat(257)),
            "spec.vault.field: longer than 256 characters"),
        invalid(
            "kvVersion 3",
            s -> s.getVault().setKvVersion("3"),
            "spec.vault.kvVersion: must be auto, 1 or 2"),
        invalid(
            "uppercase secret ref name",
            s -> {
              s.getVault().getAuth().setKubernetes(null);
              s.getVault().getAuth().setTokenSecretRef(Specs.secretRef("Vault-Token", "token"));
            },
            "spec.vault.auth.tokenSecretRef.name: \"Vault-Token\" is not a Secret name"),
        invalid(
            "empty secret key",
            s -> {
              s.getDynatrace().getManagementToken().setVault(null);
              s.getDynatrace()
                  .getManagementToken()
                  .setSecretRef(Specs.secretRef("dynatrace-management", ""));
            },
            "spec.dynatrace.managementToken.secretRef.key: required"),
        invalid(
            "secret key with a slash",
            s -> s.getVault().setCaSecretRef(Specs.secretRef("vault-ca", "a/b")),
            "spec.vault.caSecretRef.key: \"a/b\" is not a Secret key"),
        invalid(
            "oversized path",
            s -> s.getVault().setPath("p".repeat(513)),
            "spec.vault.path: longer than 512 characters"),
        invalid(
            "oversized mount",
            s -> s.getVault().setMount("m".repeat(257)),
            "spec.vault.mount: longer than 256 characters"),
        invalid(
            "oversized namespace",
            s -> s.getVault().setNamespace("n".repeat(257)),
            "spec.vault.namespace: longer than 256 characters"),
        invalid(
            "oversized URL",
            s -> s.getVault().setAddress("https://h.example/" + "a".repeat(2048)),
            "spec.vault.address: longer than 2048 characters"),
        invalid(
            "scope with an invalid name",
            s -> s.setNewToken(newToken(List.of("metrics.ingest", "bad scope"))),
            "spec.newToken.scopes: \"bad scope\" is not a scope name"),
        invalid(
            "scope starting with a digit",
            s -> s.setNewToken(newToken(List.of("1metrics"))),
            "is not a scope name"),
        invalid(
            "duplicate scopes",
            s -> s.setNewToken(newToken(List.of("logs.ingest", "logs.ingest"))),
            "spec.newToken.scopes: duplicate scopes"),
        invalid(
            "too many scopes",
            s -> s.setNewToken(newToken(manyScopes(201))),
            "more than 200 scopes"),
        invalid(
            "oversized new token name",
            s -> {
              NewTokenSpec n = new NewTokenSpec();
              n.setName("n".repeat(257));
              s.setNewToken(n);
            },
            "spec.newToken.name: longer than 256 characters"),
        invalid(
            "expiresAfter shorter than interval",
            s -> {
              NewTokenSpec n = new NewTokenSpec();
              n.setExpiresAfter("12h");
              s.setNewToken(n);
            },
            "spec.newToken.expiresAfter: shorter than spec.interval"),
        invalid(
            "expiresAfter not a duration",
            s -> {
              NewTokenSpec n = new NewTokenSpec();
              n.setExpiresAfter("forever");
              s.setNewToken(n);
            },
            "spec.newToken.expiresAfter: \"forever\" is not a duration"),
        invalid(
            "gracePeriod not a duration",
            s -> {
              OldTokenSpec o = new OldTokenSpec();
              o.setGracePeriod("5 minutes");
              s.setOldToken(o);
            },
            "spec.oldToken.gracePeriod: \"5 minutes\" is not a duration"),
        invalid(
            "deleteAfter not a duration",
            s -> {
              OldTokenSpec o = new OldTokenSpec();
              o.setDeleteAfter("-1d");
              s.setOldToken(o);
            },
            "spec.oldToken.deleteAfter: \"-1d\" is not a duration"),
        invalid(
            "kubernetes auth without role",
            s -> s.getVault().getAuth().getKubernetes().setRole(null),
            "spec.vault.auth.kubernetes.role: required"),
        invalid(
            "kubernetes auth with blank role",
            s -> s.getVault().getAuth().getKubernetes().setRole(" "),
            "spec.vault.auth.kubernetes.role: required"),
        invalid(
            "kubernetes auth mount path with '..'",
            s -> s.getVault().getAuth().getKubernetes().setMountPath("auth/../kubernetes"),
            "spec.vault.auth.kubernetes.mountPath: must not contain '.' or '..' segments"),
        invalid(
            "uppercase service account",
            s -> s.getVault().getAuth().getKubernetes().setServiceAccount("Token-Rotator"),
            "spec.vault.auth.kubernetes.serviceAccount: \"Token-Rotator\" is not a service account name"),
        invalid(
            "management token vault path with '..'",
            s -> s.getDynatrace().getManagementToken().getVault().setPath("dynatrace/../../master"),
            "spec.dynatrace.managementToken.vault.path: must not contain '.' or '..' segments"),
        invalid(
            "management token vault field with spaces",
            s -> s.getDynatrace().getManagementToken().getVault().setField("the token"),
            "spec.dynatrace.managementToken.vault.field: \"the token\" is not a field name"),
        invalid(
            "management token vault without path",
            s -> s.getDynatrace().getManagementToken().setVault(new VaultFieldRef()),
            "spec.dynatrace.managementToken.vault.path: required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejects(String name, Consumer<TokenRotationSpec> mutation, String problem) {
    TokenRotationSpec spec = Specs.minimal();
    mutation.accept(spec);

    Validation<EffectiveSpec> result = SpecValidator.validate(spec);

    assertThat(result.valid()).isFalse();
    assertThat(result.effective()).isEmpty();
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains(problem));
    assertThatThrownBy(() -> EffectiveSpec.of(spec)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullSpec() {
    assertThat(SpecValidator.validate(null).problems()).containsExactly("spec: required");
  }

  @Test
  void summaryListsThreeProblemsAndCountsTheRest() {
    TokenRotationSpec spec = Specs.minimal();
    spec.setInterval("30s");
    spec.getVault().setAddress("ftp://x");
    spec.getVault().setPath("/a");
    spec.getVault().setKvVersion("3");
    spec.getVault().setField("a b");

    Validation<EffectiveSpec> result = SpecValidator.validate(spec);

    assertThat(result.problems()).hasSize(5);
    assertThat(result.summary())
        .startsWith(String.join("; ", result.problems().subList(0, 3)))
        .endsWith("; and 2 more");
  }

  @Test
  void oversizedValuesAreAbbreviatedInProblems() {
    TokenRotationSpec spec = Specs.minimal();
    spec.getVault().setField("x y".repeat(50));

    String problem = SpecValidator.validate(spec).problems().get(0);

    assertThat(problem).contains("...").hasSizeLessThan(150);
  }

  private static NewTokenSpec newToken(List<String> scopes) {
    NewTokenSpec n = new NewTokenSpec();
    n.setScopes(scopes);
    return n;
  }

  private static List<String> manyScopes(int count) {
    List<String> scopes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      scopes.add("scope" + i);
    }
    return scopes;
  }
}
