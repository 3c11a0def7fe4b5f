package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.realkube.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator jar as a process, authenticated as the deploy/ ServiceAccount (TokenRequest) and
 * authorized by the deploy/ ClusterRole and nothing else, against the Vault and Dynatrace
 * simulators; Vault checks every login's JWT with the real API server's TokenReview. Users' moves
 * through the machine's kubectl on examples/sandbox. Any 403 the server answers the operator fails
 * the class.
 */
@ExtendWith(UsesCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorLifecycleE2eIT {
  private static final String NS = "lifecycle";
  private static Cluster cluster;
  private static Upstreams upstreams;
  private static OperatorJarProcess operator;
  private static Rotations rotations;
  private static final Map<String, String> seeded = new HashMap<>();

  @BeforeAll
  static void start(Cluster shared) throws Exception {
    cluster = shared;
    cluster.createNamespace(NS);
    upstreams = Upstreams.start(cluster);
    upstreams.bindServiceAccount(cluster, NS, "token-rotator", "token-rotator");
    for (String path : SeedState.SCRIPT_PATHS) {
      seeded.put(path, upstreams.seedToken(path, Map.of("owner", "team-a")));
    }
    rotations = new Rotations(cluster.admin(), NS);
    Map<String, String> env = new HashMap<>(upstreams.allowEnv());
    env.put("WATCH_NAMESPACES", NS);
    operator =
        OperatorJarProcess.start(
            "lifecycle", cluster.operatorKubeconfig("lifecycle.kubeconfig"), env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
    List<AuditEvent> forbidden = Audit.recordForbidden(cluster.kube);
    if (upstreams != null) {
      Summary.put("vaultLoginsViaTokenReview", upstreams.reviews.accepted());
      upstreams.close();
    }
    assertThat(forbidden).as("requests of the operator that RBAC refused").isEmpty();
    assertThat(Leaks.find(cluster, NS, List.of(operator.log())))
        .as("secrets in logs, status, events")
        .isEmpty();
  }

  private static void apply(String example) throws Exception {
    Kubectl.Result result =
        cluster.kubectl.runWithInput(upstreams.example(example), "apply", "-n", NS, "-f", "-");
    assertThat(result.ok()).as(result.output()).isTrue();
  }

  private static String vaultToken(String path) {
    return upstreams.vault.readKv("", "secret", path).orElseThrow().get("token");
  }

  private static String rotateNow(String name) {
    String at = String.valueOf(Instant.now().toEpochMilli());
    Kubectl.Result result =
        cluster.kubectl.run(
            "annotate",
            "-n",
            NS,
            "tr",
            name,
            TokenRotation.ROTATE_REQUESTED_AT + "=" + at,
            "--overwrite");
    assertThat(result.ok()).as(result.output()).isTrue();
    return at;
  }

  @Test
  @Order(1)
  void adoptsAndRotatesADueTokenKeepingTheOtherFields() throws Exception {
    apply("automation-script1.yaml");
    String path = SeedState.SCRIPT_PATHS.get(0);
    TokenRotation tr =
        rotations.awaitReady(
            "automation-script1",
            t ->
                t.getStatus().getTokenId() != null
                    && !t.getStatus().getTokenId().equals(seeded.get(path)));
    String inVault = vaultToken(path);
    assertThat(inVault).startsWith(tr.getStatus().getTokenId() + ".");
    assertThat(upstreams.dynatrace.authenticates(inVault)).isTrue();
    assertThat(upstreams.vault.readKv("", "secret", path).orElseThrow())
        .containsEntry("owner", "team-a");
    assertThat(tr.getStatus().getState()).isEqualTo(RotationState.HEALTHY);
    // the seeded token is deleted after the example's 10 s grace period
    Awaitility.await("the replaced token retired")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> upstreams.dynatrace.token(seeded.get(path)).isEmpty());
  }

  @Test
  @Order(2)
  void vaultJudgedEveryLoginThroughTheApiServersTokenReview() {
    // The first test logged in (adoption reads Vault): the simulator's own claim reader is not
    // installed, so a login that worked went through the real server's TokenReview.
    assertThat(upstreams.reviews.accepted()).as("logins the API server confirmed").isPositive();
    assertThat(upstreams.reviews.rejected()).as("logins refused").isZero();
  }

  @Test
  @Order(2)
  void rotatesOnRequest() {
    String before = rotations.get("automation-script1").getStatus().getTokenId();
    String at = rotateNow("automation-script1");
    TokenRotation tr =
        rotations.awaitReady(
            "automation-script1", t -> at.equals(t.getStatus().getLastHandledRotateRequest()));
    assertThat(tr.getStatus().getTokenId()).isNotEqualTo(before);
    assertThat(vaultToken(SeedState.SCRIPT_PATHS.get(0)))
        .startsWith(tr.getStatus().getTokenId() + ".");
  }

  @Test
  @Order(3)
  void suspendedResourceShowsSuspendedAndResumes() {
    Kubectl.Result patch =
        cluster.kubectl.run(
            "patch",
            "-n",
            NS,
            "tr",
            "automation-script1",
            "--type=merge",
            "-p",
            "{\"spec\":{\"suspend\":true}}");
    assertThat(patch.ok()).as(patch.output()).isTrue();
    rotations.await(
        "automation-script1",
        "Suspended",
        Duration.ofSeconds(30),
        t -> RotationState.SUSPENDED.equals(t.getStatus().getState()));
    Kubectl.Result get = cluster.kubectl.run("get", "-n", NS, "tr", "automation-script1");
    assertThat(get.output()).contains("Suspended");
    cluster.kubectl.require(
        "patch",
        "-n",
        NS,
        "tr",
        "automation-script1",
        "--type=merge",
        "-p",
        "{\"spec\":{\"suspend\":false}}");
    rotations.awaitReady(
        "automation-script1", t -> RotationState.HEALTHY.equals(t.getStatus().getState()));
  }

  @Test
  @Order(4)
  void rotatesItsOwnManagementTokenAndKeepsWorkingWithTheNewOne() throws Exception {
    apply("master.yaml");
    rotations.awaitReady("master", t -> t.getStatus().getTokenId() != null);
    String at = rotateNow("master");
    TokenRotation master =
        rotations.awaitReady("master", t -> at.equals(t.getStatus().getLastHandledRotateRequest()));
    assertThat(master.getStatus().getTokenId()).isNotEqualTo(upstreams.master.id());
    assertThat(upstreams.dynatrace.authenticates(vaultToken(SeedState.MASTER_PATH))).isTrue();
    apply("automation-script2.yaml");
    String path = SeedState.SCRIPT_PATHS.get(1);
    rotations.awaitReady(
        "automation-script2",
        t ->
            t.getStatus().getTokenId() != null
                && !t.getStatus().getTokenId().equals(seeded.get(path)));
    assertThat(upstreams.dynatrace.authenticates(vaultToken(path))).isTrue();
  }

  @Test
  @Order(5)
  void cleanupPolicyReportsStaleTokens() throws Exception {
    Instant now = Instant.now();
    upstreams.dynatrace.createToken(
        "legacy-export",
        SeedState.SCRIPT_SCOPES,
        SeedState.OWNER,
        null,
        now.minus(Duration.ofDays(120)),
        null);
    apply("stale-tokens.yaml");
    TokenCleanupPolicy policy =
        Awaitility.await("stale-tokens reported")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .ignoreExceptions()
            .until(
                () ->
                    cluster
                        .admin()
                        .resources(TokenCleanupPolicy.class)
                        .inNamespace(NS)
                        .withName("stale-tokens")
                        .get(),
                p -> p.getStatus() != null && p.getStatus().getMatched() != null);
    assertThat(policy.getStatus().getCandidates())
        .extracting(c -> c.getName())
        .contains("legacy-export");
  }

  @Test
  @Order(6)
  void deletionWaitsForTheFinalizerAndLeavesVaultAlone() {
    assertThat(rotations.get("automation-script2").getMetadata().getFinalizers())
        .as("finalizer")
        .isNotEmpty();
    String path = SeedState.SCRIPT_PATHS.get(1);
    String inVault = vaultToken(path);
    Kubectl.Result delete =
        cluster.kubectl.run("delete", "-n", NS, "tr", "automation-script2", "--timeout=60s");
    assertThat(delete.ok()).as(delete.output()).isTrue();
    assertThat(rotations.get("automation-script2")).isNull();
    assertThat(vaultToken(path)).isEqualTo(inVault);
    assertThat(upstreams.dynatrace.authenticates(inVault)).isTrue();
  }

  /**
   * README "kubectl against the sandbox", on the real server (kubectl speaks protobuf to it for
   * core types), with the machine's kubectl and with kubectl v1.20 from Debian's archive where it
   * can be fetched.
   */
  @Test
  @Order(7)
  void theReadmeKubectlCommandsWork() throws Exception {
    List<String> versions = new ArrayList<>();
    List<Kubectl> kubectls = new ArrayList<>(List.of(cluster.kubectl));
    Kubectl.v120(
            cluster.kube.adminKubeconfig(), why -> Summary.put("kubectl120", "unavailable: " + why))
        .ifPresent(kubectls::add);
    for (Kubectl kubectl : kubectls) {
      String suffix = kubectl == cluster.kubectl ? "" : "-v120";
      String[][] commands = {
        {"create", "namespace", "kubectl-e2e" + suffix},
        {
          "create",
          "secret",
          "generic",
          "dt-master" + suffix,
          "-n",
          NS,
          "--from-literal=token=not-a-real-token"
        },
        {"get", "tr", "-n", NS},
        {"get", "tr", "-n", NS, "-o", "wide"},
        {"get", "tr", "master", "-n", NS, "-o", "yaml"},
        {"describe", "tr", "master", "-n", NS},
        {"get", "tcp", "-n", NS},
        {"describe", "tcp", "stale-tokens", "-n", NS},
        {"get", "sa,secrets,events,namespaces,leases,crd", "-n", NS},
        {"explain", "tr.spec.oldToken"},
        {"wait", "--for=condition=Ready", "tr/master", "-n", NS, "--timeout=30s"},
        {"auth", "can-i", "patch", "tokenrotations", "--as", Cluster.OPERATOR_USER, "-n", NS},
      };
      for (String[] command : commands) {
        Kubectl.Result result = kubectl.run(command);
        assertThat(result.ok())
            .as(kubectl.binary() + " " + String.join(" ", command) + ":\n" + result.output())
            .isTrue();
      }
      assertThat(kubectl.run("get", "tr", "-n", NS).output()).contains("READY", "STATE", "master");
      assertThat(
              kubectl
                  .run(
                      "get",
                      "secret",
                      "dt-master" + suffix,
                      "-n",
                      NS,
                      "-o",
                      "jsonpath={.data.token}")
                  .output())
          .isNotBlank();
      // what the operator must not do: RBAC says so on the real server
      assertThat(
              kubectl
                  .run(
                      "auth", "can-i", "delete", "secrets", "--as", Cluster.OPERATOR_USER, "-n", NS)
                  .output()
                  .strip())
          .isEqualTo("no");
      versions.add(
          kubectl
              .run("version", "--client", "-o", "json")
              .output()
              .replaceAll("(?s).*\"gitVersion\": \"([^\"]+)\".*", "$1"));
    }
    Summary.put("kubectlVersionsTried", versions);
  }
}
