package io.tokenrotation.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.crd.CrdSchemaTest;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input catalogue: malformed TokenRotations, each rejected by the committed CRD schema (as an
 * API server would) or not, and every one stalled by the operator with a specific reason and zero
 * calls to Vault or Dynatrace. All are applied as JSON to the embedded API server (which does not
 * validate), to prove the operator holds the line alone when a schema is bypassed — values it
 * cannot even read into its API classes (unknown enum values, wrong JSON types) included.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.Shared
class BadInputCatalogueIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestWorld world;
  private static int tried;
  private static int counter;

  static Stream<Arguments> catalogue() {
    return BadInputCatalogue.cases().stream()
        .map(c -> Arguments.of(c.name(), c.expect(), c.mutation()));
  }

  @BeforeAll
  static void start(TestWorld world) {
    BadInputCatalogueIT.world = world;
  }

  @AfterAll
  static void report() {
    ReliabilityReport.add("badInputsTried", tried);
    ReliabilityReport.write();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void isRejectedWithZeroUpstreamCalls(
      String name, BadInputCatalogue.Expect expect, Consumer<ObjectNode> mutation)
      throws Exception {
    tried++;
    String resourceName = "bad-" + (++counter);
    // each case its own secret path: two resources on one path would stall with Conflict instead
    TokenRotation valid =
        Resources.rotation(world, resourceName, "dynatrace/" + resourceName, "24h");
    ObjectNode document = JSON.valueToTree(valid);
    document.put("apiVersion", "tokenrotation.io/v1alpha1");
    document.put("kind", "TokenRotation");
    document.remove("status");
    assertThat(CrdSchemaTest.validateAgainstCommittedCrd(document))
        .as("the valid base document")
        .isEmpty();
    mutation.accept((ObjectNode) document.get("spec"));

    List<String> schemaErrors = new ArrayList<>();
    CrdSchemaTest.validateAgainstCommittedCrd(document)
        .forEach(m -> schemaErrors.add(m.getMessage()));
    if (expect.schemaRejects()) {
      assertThat(schemaErrors).as("schema errors for: " + name).isNotEmpty();
    } else {
      assertThat(schemaErrors).as("the schema accepts it; the operator must catch it").isEmpty();
    }
    world.clearJournals();
    world.createRaw(
        document
            .toString()); // as kubectl would send it: the embedded API server stores it unchecked
    TokenRotation stalled = world.awaitStalled(resourceName, expect.stalledReason());
    assertThat(world.condition(resourceName, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(world.condition(resourceName, "Stalled").orElseThrow().getMessage()).isNotBlank();
    assertThat(stalled.getStatus().getTokenId()).isNull();
    assertThat(world.vault.journal().entries()).as("Vault calls for: " + name).isEmpty();
    assertThat(world.dynatrace.journal().entries()).as("Dynatrace calls for: " + name).isEmpty();
  }
}
