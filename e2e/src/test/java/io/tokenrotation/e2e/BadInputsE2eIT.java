package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.reliability.BadInputCatalogue;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.operator.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input catalogue (operator tests, docs/reliability.md) applied to a real API server: every
 * case the docs say the schema or a CEL rule rejects is refused by the server with a message naming
 * the field; every other case is stored, and the operator process stalls it with the documented
 * reason and no call to Vault or Dynatrace.
 */
@ExtendWith(UsesCluster.class)
class BadInputsE2eIT {
  private static final String NAMESPACE = "bad-inputs";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Cluster cluster;
  private static Upstreams upstreams;
  private static OperatorJarProcess operator;

  @BeforeAll
  static void start(Cluster shared) throws Exception {
    cluster = shared;
    cluster.createNamespace(NAMESPACE);
    upstreams = Upstreams.start(cluster);
    cluster
        .admin()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ControllerHarness.VAULT_TOKEN_SECRET)
                .endMetadata()
                .addToStringData("token", upstreams.vault.rootToken())
                .build())
        .create();
    Map<String, String> env = new HashMap<>(upstreams.allowEnv());
    env.put("WATCH_NAMESPACES", NAMESPACE);
    operator =
        OperatorJarProcess.start(
            "bad-inputs", cluster.operatorKubeconfig("bad-inputs.kubeconfig"), env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (upstreams != null) {
      upstreams.close();
    }
  }

  @Test
  void serverRejectsWhatTheSchemaForbidsAndTheOperatorStallsTheRest() throws Exception {
    Rotations rotations = new Rotations(cluster.admin(), NAMESPACE);
    List<String> mismatches = new ArrayList<>();
    List<String> stalledNames = new ArrayList<>();
    Map<String, String> stalledReasons = new HashMap<>();
    int rejected = 0;
    int counter = 0;
    for (BadInputCatalogue.Case c : BadInputCatalogue.cases()) {
      String name = "bad-" + (++counter);
      ObjectNode document =
          JSON.valueToTree(
              Fixtures.rotation(
                  name,
                  upstreams.vault.baseUrl(),
                  upstreams.dynatrace.baseUrl(),
                  Fixtures.path("dynatrace/" + name),
                  Fixtures.interval("24h")));
      document.put("apiVersion", "tokenrotation.io/v1alpha1");
      document.put("kind", "TokenRotation");
      document.remove("status");
      c.mutation().accept((ObjectNode) document.get("spec"));
      GenericKubernetesResource resource =
          Serialization.unmarshal(document.toString(), GenericKubernetesResource.class);
      String refusal = null;
      try {
        cluster
            .admin()
            .genericKubernetesResources("tokenrotation.io/v1alpha1", "TokenRotation")
            .inNamespace(NAMESPACE)
            .resource(resource)
            .create();
      } catch (KubernetesClientException e) {
        refusal =
            e.getCode()
                + " "
                + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
      }
      if (c.expect().serverRejects()) {
        if (refusal == null) {
          mismatches.add(
              c.name()
                  + ": the docs say the schema or a CEL rule rejects it, the server stored it");
        } else if (!refusal.matches("(?s)^(422|400) .*spec\\.\\w.*")) {
          mismatches.add(c.name() + ": refused without naming the field: " + refusal);
        } else {
          rejected++;
        }
      } else if (refusal != null) {
        mismatches.add(
            c.name() + ": the docs say the schema accepts it, the server refused: " + refusal);
      } else {
        stalledNames.add(name);
        stalledReasons.put(name, c.expect().stalledReason());
      }
    }
    for (String name : stalledNames) {
      rotations.awaitStalled(name, stalledReasons.get(name));
    }
    Summary.put("badInputsRejectedByServer", rejected);
    Summary.put("badInputsStalled", stalledNames.size());
    assertThat(mismatches).isEmpty();
    assertThat(rejected + stalledNames.size()).isEqualTo(BadInputCatalogue.cases().size());
    assertThat(upstreams.vault.journal().entries()).as("Vault calls for bad inputs").isEmpty();
    assertThat(upstreams.dynatrace.journal().entries())
        .as("Dynatrace calls for bad inputs")
        .isEmpty();
    assertThat(Audit.recordForbidden(cluster.kube))
        .as("requests RBAC refused the operator")
        .isEmpty();
    assertThat(Leaks.find(cluster, NAMESPACE, List.of(operator.log())))
        .as("secrets in logs, status, events")
        .isEmpty();
  }
}
