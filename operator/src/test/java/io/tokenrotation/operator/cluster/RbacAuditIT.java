package io.tokenrotation.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.consumers.KubernetesConsumerTargets;
import io.tokenrotation.operator.deploy.DeployManifests;
import io.tokenrotation.operator.deploy.DeployManifests.Grant;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.it.CleanupPolicies;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Least privilege, proven: runs the operator (leader election on, as deployed) through its
 * scenarios against the embedded API server, maps every request its client made to (verb, group,
 * resource, subresource, namespace) and holds them against the RBAC in deploy/: each request is
 * allowed, and each verb of each rule was used.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
@TestWorlds.WithOperatorNamespace
class RbacAuditIT {
  static final String AGENT = "token-rotation-operator";

  /**
   * Granted to every authenticated user by Kubernetes' default ClusterRoles (system:basic-user,
   * system:discovery), so deploy/ need not (and does not) grant them: JOSDK asks which Lease
   * permissions it has.
   */
  static final Set<String> DEFAULT_GRANTS =
      Set.of("create authorization.k8s.io selfsubjectrulesreviews");

  /**
   * Granted though no scenario sends them, each for a named code path: every other verb in deploy/
   * must be seen.
   */
  static final Map<String, String> NEEDED_OFF_THE_HAPPY_PATH =
      Map.of(
          "get tokenrotation.io tokenrotations",
          "the reconciler re-reads the resource (GET) when its finalizer patch meets a 409 or 422"
              + " (rotation/Finalizer)",
          "update coordination.k8s.io leases",
          "JOSDK refuses to start unless a SelfSubjectRulesReview lists get, create and update on leases"
              + " (LeaderElectionManager.checkLeaseAccess); Fabric8 7.5.2 itself renews with PATCH");

  private TestWorld world;
  private OperatorApp operator;
  private KubernetesClient operatorClient;

  @BeforeEach
  void start(TestWorld world) {
    this.world = world;
    world.secret("dt-management", Map.of("token", world.vaultToken("dynatrace/master")));
    world.serviceAccount("vault-auth");
    world.vault.putPolicy(
        "",
        "everything",
        Map.of("*", Set.of("create", "read", "update", "patch", "delete", "list")));
    world.vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("vault-auth"),
        Set.of(TestWorld.NAMESPACE),
        Set.of("everything"),
        Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
    }
  }

  static Map<String, String> leaderElectionEnv(String identity) {
    Map<String, String> env = new HashMap<>();
    env.put("LEADER_ELECTION", "true");
    env.put("POD_NAMESPACE", DeployManifests.OPERATOR_NAMESPACE);
    env.put("POD_NAME", identity);
    env.put("LEADER_ELECTION_LEASE_DURATION", "3s");
    env.put("LEADER_ELECTION_RENEW_DEADLINE", "2s");
    env.put("LEADER_ELECTION_RETRY_PERIOD", "500ms");
    return env;
  }

  @Test
  void everyRequestOfTheOperatorIsGrantedByDeployAndEveryGrantIsUsed() {
    world.kube.clearRequests();
    operatorClient = world.kube.newClient(AGENT);
    operator =
        OperatorApp.start(
            operatorClient,
            world.allowed(OperatorConfig.fromEnvironment(leaderElectionEnv("audit-0"))),
            OperatorOptions.defaults()
                .withBackoff(
                    new Backoff(
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1))));

    // adopt, with Vault Kubernetes auth (TokenRequest for the namespace's service account)
    world.apply(
        Resources.withKubernetesAuth(
            Resources.rotation(world, "adopt", "dynatrace/automation_script1", "24h"),
            "rotator",
            "vault-auth"));
    // rotate, with the Vault token and the management token from Secrets; then delete it
    // (finalizer, cleanup)
    TokenRotation rotate =
        Resources.rotation(world, "rotate", "dynatrace/automation_script2", "1h");
    rotate.getSpec().getDynatrace().getManagementToken().setVault(null);
    rotate
        .getSpec()
        .getDynatrace()
        .getManagementToken()
        .setSecretRef(Resources.ref("dt-management", "token"));
    rotate.getSpec().getOldToken().setGracePeriod("0s");
    // its consumers: a Secret it creates, one it updates (opted in), and one workload of each kind
    world.secret("consumer", Map.of("other", "kept"));
    world
        .client
        .secrets()
        .inNamespace(TestWorld.NAMESPACE)
        .withName("consumer")
        .edit(
            sec -> {
              sec.getMetadata()
                  .setAnnotations(Map.of(KubernetesConsumerTargets.TARGET_OPT_IN, "true"));
              return sec;
            });
    Workloads.createOptedIn(world.client, TestWorld.NAMESPACE, "app");
    rotate
        .getSpec()
        .setSecretTargets(
            List.of(
                Workloads.secretTarget("rotate-token", "apiToken"),
                Workloads.secretTarget("consumer", "token")));
    rotate.getSpec().setRolloutRestartTargets(Workloads.everyKind("app"));
    rotate.getSpec().setRolloutRestartDebounce("1s");
    world.apply(rotate);
    // a stalled one (missing Secret): Warning event, status write
    TokenRotation broken = Resources.rotation(world, "broken", "dynatrace/other", "1h");
    broken
        .getSpec()
        .getVault()
        .getAuth()
        .setTokenSecretRef(Resources.ref("no-such-secret", "token"));
    world.apply(broken);

    // a cleanup dry run (its informer, its status patch), with the management token from a Secret
    CleanupPolicies.apply(
        world,
        CleanupPolicies.policy(
            world,
            "stale",
            s -> {
              s.getSelector().setUnusedFor("90d");
              CleanupPolicies.managementTokenFromSecret(s, "dt-management", "token");
            }));

    world.awaitReady("adopt", Reasons.ADOPTED);
    world.awaitReady("rotate", Reasons.ROTATED);
    world.awaitStalled("broken", Reasons.SECRET_REF_NOT_FOUND);
    CleanupPolicies.awaitRun(world, "stale");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.eventReasons("rotate").contains(Reasons.ROTATED));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> world.eventReasons("rotate").contains(Reasons.ROLLOUT_RESTARTED));
    world
        .client
        .resources(TokenRotation.class)
        .inNamespace(TestWorld.NAMESPACE)
        .withName("rotate")
        .delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.get("rotate") == null);
    // the leader has renewed its Lease by now
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> requests().stream().filter(r -> "leases".equals(r.resource())).count() >= 4);

    List<ApiRequest> requests = requests();
    List<Grant> grants =
        DeployManifests.operatorGrants(DeployManifests.loadAll(DeployManifests.BASE));
    assertThat(requests).isNotEmpty();

    List<String> denied = new ArrayList<>();
    Set<String> distinct = new LinkedHashSet<>();
    for (ApiRequest r : requests) {
      distinct.add(
          r.verb()
              + " "
              + (r.group().isEmpty() ? "core" : r.group())
              + " "
              + r.rbacResource()
              + r.namespace().map(n -> " in " + n).orElse(" (cluster-wide)"));
      if (DEFAULT_GRANTS.contains(r.verb() + " " + r.group() + " " + r.rbacResource())) {
        continue;
      }
      if (r.nonResource() || grants.stream().noneMatch(g -> allows(g, r))) {
        denied.add(r.toString());
      }
    }
    System.out.println("operator API requests (distinct):\n  " + String.join("\n  ", distinct));
    assertThat(denied).as("requests deploy/ does not grant").isEmpty();

    List<String> unused = new ArrayList<>();
    for (Grant g : grants) {
      for (String group : g.rule().getApiGroups()) {
        for (String resource : g.rule().getResources()) {
          for (String verb : g.rule().getVerbs()) {
            boolean used =
                requests.stream()
                    .anyMatch(
                        r ->
                            r.verb().equals(verb)
                                && r.group().equals(group)
                                && resource.equals(r.rbacResource())
                                && g.namespace()
                                    .map(n -> r.namespace().equals(Optional.of(n)))
                                    .orElse(true));
            if (!used
                && !NEEDED_OFF_THE_HAPPY_PATH.containsKey(verb + " " + group + " " + resource)) {
              unused.add(
                  g.source()
                      + ": "
                      + verb
                      + " "
                      + (group.isEmpty() ? "core" : group)
                      + " "
                      + resource);
            }
          }
        }
      }
    }
    assertThat(unused).as("grants the operator never used").isEmpty();
    // the exceptions are real grants (they do not outlive a change of deploy/)
    for (String needed : NEEDED_OFF_THE_HAPPY_PATH.keySet()) {
      String[] p = needed.split(" ");
      assertThat(grants)
          .as(needed)
          .anyMatch(
              g ->
                  g.rule().getVerbs().contains(p[0])
                      && g.rule().getApiGroups().contains(p[1])
                      && g.rule().getResources().contains(p[2]));
    }
  }

  @Test
  void theNamespacedOverlayGrantsWhatANamespaceRestrictedOperatorDoes() {
    Map<String, String> env = leaderElectionEnv("audit-namespaced");
    env.put("WATCH_NAMESPACES", TestWorld.NAMESPACE);
    world.kube.clearRequests();
    operatorClient = world.kube.newClient(AGENT);
    operator =
        OperatorApp.start(
            operatorClient,
            world.allowed(OperatorConfig.fromEnvironment(env)),
            OperatorOptions.defaults()
                .withBackoff(
                    new Backoff(
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1))));
    world.apply(
        Resources.withKubernetesAuth(
            Resources.rotation(world, "adopt", "dynatrace/automation_script1", "24h"),
            "rotator",
            "vault-auth"));
    world.awaitReady("adopt", Reasons.ADOPTED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.eventReasons("adopt").contains(Reasons.ADOPTED));

    // the overlay: base without the cluster-wide grant, plus a Role per watched namespace
    List<HasMetadata> objects =
        new ArrayList<>(
            base().stream()
                .filter(o -> !(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding))
                .toList());
    objects.addAll(
        DeployManifests.loadAll(DeployManifests.NAMESPACED).stream()
            .filter(o -> o instanceof Role || o instanceof RoleBinding)
            .toList());
    List<Grant> grants = DeployManifests.operatorGrants(objects);
    assertThat(grants).allMatch(g -> g.namespace().isPresent());
    List<String> denied =
        requests().stream()
            .filter(
                r -> !DEFAULT_GRANTS.contains(r.verb() + " " + r.group() + " " + r.rbacResource()))
            .filter(r -> r.nonResource() || grants.stream().noneMatch(g -> allows(g, r)))
            .map(ApiRequest::toString)
            .toList();
    assertThat(denied).as("requests the namespaced overlay does not grant").isEmpty();
    assertThat(requests()).anyMatch(r -> r.verb().equals("watch") && r.namespace().isPresent());
  }

  private List<ApiRequest> requests() {
    return world.kube.requests().stream()
        .filter(r -> r.userAgent() != null && r.userAgent().startsWith(AGENT))
        .map(ApiRequest::of)
        .toList();
  }

  static boolean allows(Grant g, ApiRequest r) {
    PolicyRule rule = g.rule();
    if (g.namespace().isPresent() && !g.namespace().equals(r.namespace())) {
      return false;
    }
    return rule.getApiGroups().contains(r.group())
        && rule.getResources().contains(r.rbacResource())
        && rule.getVerbs().contains(r.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            || rule.getResourceNames().contains(r.name()));
  }

  static List<HasMetadata> base() {
    return DeployManifests.loadAll(DeployManifests.BASE);
  }
}
