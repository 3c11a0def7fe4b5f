package io.tokenrotation.operator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.it.CleanupPolicies;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.reliability.ReliabilityReport;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.AttackerListener;
import io.tokenrotation.operator.testing.Fixtures;
import io.tokenrotation.sim.http.FaultInjector;
import io.tokenrotation.sim.http.RequestJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No confused deputy (docs/security.md): a resource author tries, as in the issue that found it, to
 * make the operator carry a service-account JWT, a Secret's value or a management token to a server
 * of the author's choosing (a real listener on loopback). Every attempt must end Stalled with its
 * specific reason, with no connection to the listener, no TokenRequest it should not make, and no
 * read outside the resource's namespace. A last test shows the listener does see the operator once
 * the admin allows it, so the zero above is the allow-list's doing.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.Shared
@TestWorlds.OperatorStartedByTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfusedDeputyIT {
  private static final String SEEDED = "dynatrace/automation_script1";
  private static final String MANAGEMENT_SECRET = "management-token";

  private AttackerListener attacker;
  private TestWorld world;
  private String attackerUrl;
  private String vaultUrl;
  private int attempts;
  private int succeeded;

  @BeforeAll
  void start(TestWorld world) throws Exception {
    attacker = new AttackerListener();
    attackerUrl = "http://127.0.0.1:" + attacker.port();
    this.world = world;
    vaultUrl = world.vault.baseUrl();
    world.secret(MANAGEMENT_SECRET, Map.of("token", world.vaultToken("dynatrace/master")));
    world.serviceAccount("token-rotator");
    world.serviceAccount("not-opted-in", Map.of());
    // Another tenant's namespace, with a Secret and an opted-in service account of its own.
    world
        .client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata().build())
        .create();
    world
        .client
        .secrets()
        .inNamespace("team-b")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("team-b-vault-token")
                .endMetadata()
                .withData(
                    Map.of(
                        "token", Base64.getEncoder().encodeToString("hvs.team-b-only".getBytes())))
                .build())
        .create();
    world
        .client
        .serviceAccounts()
        .inNamespace("team-b")
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("team-b-only")
                .addToAnnotations(KubernetesConnectionResolver.VAULT_LOGIN_ANNOTATION, "true")
                .endMetadata()
                .build())
        .create();
    // The admin allows https (only) to the listener's port: the plain-http variant below is a
    // downgrade.
    world.startOperator(
        TestWorld.testOptions(),
        OperatorConfig.fromEnvironment(
            Map.of(
                "ALLOWED_VAULT_ADDRESSES", "https://127.0.0.1:" + attacker.port(),
                "ALLOWED_DYNATRACE_URLS", "https://127.0.0.1:" + attacker.port())));
  }

  @AfterAll
  void stop() throws Exception {
    ReliabilityReport.set("deputyAttemptsTried", attempts);
    ReliabilityReport.set("deputyAttemptsSucceeded", succeeded);
    ReliabilityReport.write();
    // The operator stops before the listener closes, as it did when this closed the world; the
    // extension closes the world after this.
    world.stopOperator();
    attacker.close();
  }

  private record Attempt(String name, Consumer<TokenRotation> attack, String reason) {}

  private List<Attempt> rotations() {
    String a = attackerUrl;
    int port = attacker.port();
    return List.of(
        new Attempt(
            "vault-k8s-login",
            tr -> {
              tr.getSpec().getVault().setAddress(a);
              Fixtures.kubernetesAuth("rotator", "token-rotator").accept(tr);
            },
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "vault-token-secret",
            tr -> tr.getSpec().getVault().setAddress(a),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "dynatrace-secret",
            tr -> {
              tr.getSpec().getDynatrace().setEnvironmentUrl(a);
              Fixtures.managementTokenSecret(MANAGEMENT_SECRET, "token").accept(tr);
            },
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "dynatrace-vault",
            tr -> tr.getSpec().getDynatrace().setEnvironmentUrl(a),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "localhost-alias",
            tr -> tr.getSpec().getVault().setAddress("http://localhost:" + port),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "https-downgrade-with-path",
            tr -> tr.getSpec().getDynatrace().setEnvironmentUrl(a + "/e/abc"),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "upper-case",
            tr -> tr.getSpec().getVault().setAddress("HTTP://LOCALHOST:" + port),
            Reasons.INVALID_SPEC),
        new Attempt(
            "trailing-dot",
            tr -> tr.getSpec().getVault().setAddress("http://localhost.:" + port),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "allowed-address-as-subdomain",
            tr -> tr.getSpec().getVault().setAddress("http://127.0.0.1.nip.io:" + port),
            Reasons.ENDPOINT_NOT_ALLOWED),
        new Attempt(
            "userinfo",
            tr -> tr.getSpec().getVault().setAddress(vaultUrl + "@127.0.0.1:" + port),
            Reasons.INVALID_SPEC),
        new Attempt(
            "fragment",
            tr -> tr.getSpec().getVault().setAddress(a + "#@" + vaultUrl.substring(7)),
            Reasons.INVALID_SPEC),
        new Attempt(
            "backslash",
            tr -> tr.getSpec().getVault().setAddress(a + "\\@" + vaultUrl.substring(7)),
            Reasons.INVALID_SPEC),
        new Attempt(
            "fullwidth-digits",
            tr ->
                tr.getSpec()
                    .getVault()
                    .setAddress("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:" + port),
            Reasons.INVALID_SPEC),
        new Attempt(
            "audience-of-the-api-server",
            tr -> {
              Fixtures.kubernetesAuth("rotator", "token-rotator").accept(tr);
              tr.getSpec()
                  .getVault()
                  .getAuth()
                  .getKubernetes()
                  .setAudience("https://kubernetes.default.svc");
            },
            Reasons.AUDIENCE_NOT_ALLOWED),
        new Attempt(
            "audience-not-allowed",
            tr -> {
              Fixtures.kubernetesAuth("rotator", "token-rotator").accept(tr);
              tr.getSpec().getVault().getAuth().getKubernetes().setAudience("attacker");
            },
            Reasons.AUDIENCE_NOT_ALLOWED),
        new Attempt(
            "service-account-not-opted-in",
            Fixtures.kubernetesAuth("rotator", "not-opted-in")::accept,
            Reasons.SERVICE_ACCOUNT_NOT_ALLOWED),
        new Attempt(
            "service-account-of-another-namespace",
            Fixtures.kubernetesAuth("rotator", "team-b-only")::accept,
            Reasons.VAULT_AUTH_FAILED),
        new Attempt(
            "secret-of-another-namespace",
            Fixtures.vaultTokenSecret("team-b-vault-token", "token")::accept,
            Reasons.SECRET_REF_NOT_FOUND));
  }

  @Test
  @Order(1)
  void noCredentialReachesAnEndpointTheAdminDidNotAllow() {
    List<Attempt> tries = new ArrayList<>(rotations());
    for (Attempt attempt : tries) {
      // Each its own secret: attempts on one secret would (after their own problem) also be in
      // Conflict.
      TokenRotation tr =
          Resources.rotation(world, attempt.name(), "dynatrace/" + attempt.name(), "1h");
      attempt.attack().accept(tr);
      world.apply(tr);
    }
    world.apply(Resources.rotation(world, "bystander", "dynatrace/automation_script2", "1h"));
    CleanupPolicies.apply(
        world,
        CleanupPolicies.policy(
            world,
            "cleanup-dynatrace",
            spec -> {
              CleanupPolicies.managementTokenFromSecret(spec, MANAGEMENT_SECRET, "token");
              spec.getSelector().setUnusedFor("90d");
              spec.getDynatrace().setEnvironmentUrl(attackerUrl);
            }));
    CleanupPolicies.apply(
        world,
        CleanupPolicies.policy(
            world,
            "cleanup-vault",
            (TokenCleanupPolicySpec spec) -> {
              spec.getSelector().setUnusedFor("90d");
              spec.getVault().setAddress(attackerUrl);
            }));

    for (Attempt attempt : tries) {
      TokenRotation stalled = world.awaitStalled(attempt.name(), attempt.reason());
      assertThat(stalled.getStatus().getTokenId()).as(attempt.name()).isNull();
      assertThat(
              Conditions.find(stalled.getStatus().getConditions(), Conditions.STALLED)
                  .orElseThrow()
                  .getMessage())
          .as(attempt.name())
          .doesNotContain(world.vault.rootToken(), world.vaultToken("dynatrace/master"));
    }
    for (String policy : List.of("cleanup-dynatrace", "cleanup-vault")) {
      TokenCleanupPolicy stalled =
          CleanupPolicies.awaitStalled(world, policy, Reasons.ENDPOINT_NOT_ALLOWED);
      assertThat(stalled.getStatus().getLastRunTime()).isNull();
    }
    attempts += tries.size() + 2;
    // The operator went on with everyone else.
    world.awaitReady("bystander", Reasons.ROTATED);

    assertThat(attacker.connections()).as("connections to the attacker's listener").isZero();
    List<String> tokenRequests =
        world.kube.requests().stream()
            .filter(r -> r.method().equals("POST") && r.path().endsWith("/token"))
            .map(r -> r.path())
            .toList();
    assertThat(tokenRequests).as("TokenRequests").isEmpty();
    assertThat(world.kube.requests())
        .as("reads in another tenant's namespace")
        .noneMatch(
            r ->
                r.path().contains("/namespaces/team-b/")
                    && r.userAgent() != null
                    && r.userAgent().contains("token-rotation-operator"));
    succeeded += attacker.connections() + tokenRequests.size();
    deleteAllRotations();
  }

  /**
   * The seeded secret may be rotated by one resource at a time (the others would stall with
   * Conflict).
   */
  private void deleteAllRotations() {
    world.client.resources(TokenRotation.class).inNamespace(TestWorld.NAMESPACE).delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                world
                    .client
                    .resources(TokenRotation.class)
                    .inNamespace(TestWorld.NAMESPACE)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  @Test
  @Order(2)
  void redirectsFromAnAllowedEndpointAreNotFollowed() {
    redirected(
        "dynatrace-redirect",
        world.dynatrace.faults(),
        world.dynatrace.journal(),
        "POST",
        ".*/apiTokens/lookup",
        tr -> {});
    redirected(
        "vault-read-redirect",
        world.vault.faults(),
        world.vault.journal(),
        "GET",
        ".*/secret/data/dynatrace/.*",
        tr -> {});
    redirected(
        "vault-login-redirect",
        world.vault.faults(),
        world.vault.journal(),
        "POST",
        ".*/auth/kubernetes/login",
        Fixtures.kubernetesAuth("rotator", "token-rotator")::accept);
    // The TokenRequest journal the first test found empty does record them: this login needed one.
    assertThat(world.kube.requests())
        .as("the login's TokenRequest")
        .anyMatch(
            r ->
                r.method().equals("POST")
                    && r.path().endsWith("/serviceaccounts/token-rotator/token"));

    assertThat(attacker.connections()).as("connections to the attacker's listener").isZero();
    succeeded += attacker.connections();
  }

  /**
   * An allowed endpoint answers {@code method path} with a 307 to the listener; the resource must
   * just fail.
   */
  private void redirected(
      String name,
      FaultInjector faults,
      RequestJournal journal,
      String method,
      String path,
      Consumer<TokenRotation> auth) {
    journal.clear();
    faults.failNext(100, method, path, 307, "", Map.of("Location", attackerUrl + "/collect"));
    TokenRotation tr = Resources.rotation(world, name, SEEDED, "1h");
    auth.accept(tr);
    world.apply(tr);
    world.await(
        name,
        "a failure recorded",
        r -> r.getStatus() != null && r.getStatus().getLastFailure() != null);
    assertThat(journal.count(e -> e.injected())).as(name + ": redirects served").isPositive();
    faults.clear();
    deleteAllRotations();
    attempts++;
  }

  @Test
  @Order(3)
  void theListenerSeesTheOperatorOnceTheAdminAllowsIt() {
    TokenRotation allowed = Resources.rotation(world, "allowed-by-the-admin", SEEDED, "1h");
    allowed.getSpec().getDynatrace().setEnvironmentUrl("https://127.0.0.1:" + attacker.port());
    Fixtures.managementTokenSecret(MANAGEMENT_SECRET, "token").accept(allowed);
    world.apply(allowed);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> attacker.connections() > 0);
  }
}
