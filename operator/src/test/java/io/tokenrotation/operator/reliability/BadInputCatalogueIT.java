package io.tokenrotation.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.controller.Reasons;
import io.tokenrotation.operator.crd.CrdSchemaTest;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input catalogue: malformed TokenRotations, each rejected by the committed CRD schema (as an API server would)
 * or not, and every one stalled by the operator with a specific reason and zero calls to Vault or Dynatrace. All are
 * applied as JSON to the embedded API server (which does not validate), to prove the operator holds the line alone
 * when a schema is bypassed — values it cannot even read into its API classes (unknown enum values, wrong JSON
 * types) included.
 */
class BadInputCatalogueIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestWorld world;
  private static int tried;
  private static int counter;

  /** What must happen to a case: whether the schema rejects it, and the reason the operator stalls it with. */
  record Expect(boolean schemaRejects, String stalledReason) {}

  static Expect schema(String reason) {
    return new Expect(true, reason);
  }

  static Expect operator(String reason) {
    return new Expect(false, reason);
  }

  static Arguments bad(String name, Expect expect, Consumer<ObjectNode> mutation) {
    return Arguments.of(name, expect, mutation);
  }

  static Stream<Arguments> catalogue() {
    String invalid = Reasons.INVALID_SPEC;
    return Stream.of(
        bad("interval missing", schema(invalid), s -> s.remove("interval")),
        bad("interval 30s below the 1m minimum", schema(invalid), s -> s.put("interval", "30s")),
        bad("interval 0m", schema(invalid), s -> s.put("interval", "0m")),
        // below a minute as a sum or a fraction: the schema's pattern cannot tell (ApiPatterns.AT_LEAST_A_MINUTE)
        bad("interval 0.01h (36s)", operator(invalid), s -> s.put("interval", "0.01h")),
        bad("interval 30s20s", operator(invalid), s -> s.put("interval", "30s20s")),
        bad("interval '1 hour'", schema(invalid), s -> s.put("interval", "1 hour")),
        bad("interval unit y", schema(invalid), s -> s.put("interval", "1y")),
        bad("vault missing", schema(invalid), s -> s.remove("vault")),
        bad("vault address missing", schema(invalid), s -> vault(s).remove("address")),
        bad("vault address ftp://", schema(invalid), s -> vault(s).put("address", "ftp://vault.example")),
        bad("vault address without scheme", schema(invalid), s -> vault(s).put("address", "vault.example:8200")),
        bad("vault address with a query", operator(invalid), s -> vault(s).put("address", "https://v.example/?a=1")),
        bad("path missing", schema(invalid), s -> vault(s).remove("path")),
        bad("path with a leading /", schema(invalid), s -> vault(s).put("path", "/dynatrace/x")),
        bad("path with ..", schema(invalid), s -> vault(s).put("path", "dynatrace/../master")),
        bad("path oversized", schema(invalid), s -> vault(s).put("path", "a/".repeat(300) + "b")),
        bad("field empty", schema(invalid), s -> vault(s).put("field", "")),
        bad("field with spaces", schema(invalid), s -> vault(s).put("field", "my token")),
        bad("kvVersion 3", schema(invalid), s -> vault(s).put("kvVersion", "3")),
        bad("namespace oversized", schema(invalid), s -> vault(s).put("namespace", "n".repeat(300))),
        bad("both auth methods", operator(invalid), s -> auth(s).putObject("kubernetes").put("role", "r")),
        bad("no auth method", operator(invalid), s -> auth(s).remove("tokenSecretRef")),
        bad("auth missing", schema(invalid), s -> vault(s).remove("auth")),
        bad("kubernetes auth without role", schema(invalid), s -> {
          auth(s).remove("tokenSecretRef");
          auth(s).putObject("kubernetes").put("role", "");
        }),
        bad("secret ref name with capitals", schema(invalid),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("name", "Vault_Token")),
        bad("secret ref key empty", schema(invalid), s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("key", "")),
        bad("environmentUrl not a URL", schema(invalid), s -> dynatrace(s).put("environmentUrl", "not a url")),
        bad("environmentUrl missing", schema(invalid), s -> dynatrace(s).remove("environmentUrl")),
        bad("both management token sources", operator(invalid),
            s -> management(s).putObject("secretRef").put("name", "dt").put("key", "token")),
        bad("no management token source", operator(invalid), s -> management(s).remove("vault")),
        bad("management token path with ..", schema(invalid),
            s -> ((ObjectNode) management(s).get("vault")).put("path", "../master")),
        bad("management token field empty", schema(invalid),
            s -> ((ObjectNode) management(s).get("vault")).put("field", "")),
        // values the API classes cannot read: reported by LenientReader, so the operator stalls them too
        bad("deletionPolicy Destroy", schema(invalid), s -> s.put("deletionPolicy", "Destroy")),
        bad("oldToken.action Revoke", schema(invalid), s -> s.putObject("oldToken").put("action", "Revoke")),
        bad("vault a string", schema(invalid), s -> s.put("vault", "x")),
        bad("suspend 'yes'", schema(invalid), s -> s.put("suspend", "yes")),
        bad("gracePeriod '5 minutes'", schema(invalid), s -> s.putObject("oldToken").put("gracePeriod", "5 minutes")),
        bad("scope with a space", operator(invalid), s -> s.putObject("newToken").putArray("scopes").add("bad scope")),
        bad("duplicate scopes", operator(invalid),
            s -> s.putObject("newToken").putArray("scopes").add("ReadConfig").add("ReadConfig")),
        bad("expiresAfter shorter than the interval", operator(invalid), s -> {
          s.put("interval", "24h");
          s.putObject("newToken").put("expiresAfter", "30m");
        }),
        bad("newToken name oversized", schema(invalid), s -> s.putObject("newToken").put("name", "n".repeat(300))),
        bad("unknown Vault token Secret", operator(Reasons.SECRET_REF_NOT_FOUND),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("name", "no-such-secret")),
        bad("wrong key in the Vault token Secret", operator(Reasons.SECRET_REF_KEY_MISSING),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("key", "no-such-key")),
        bad("unknown management token Secret", operator(Reasons.SECRET_REF_NOT_FOUND), s -> {
          management(s).remove("vault");
          management(s).putObject("secretRef").put("name", "no-such-secret").put("key", "token");
        }),
        bad("unknown CA Secret", operator(Reasons.SECRET_REF_NOT_FOUND),
            s -> vault(s).putObject("caSecretRef").put("name", "no-such-ca").put("key", "ca.crt")));
  }

  private static ObjectNode vault(ObjectNode spec) {
    return (ObjectNode) spec.get("vault");
  }

  private static ObjectNode auth(ObjectNode spec) {
    return (ObjectNode) spec.get("vault").get("auth");
  }

  private static ObjectNode dynatrace(ObjectNode spec) {
    return (ObjectNode) spec.get("dynatrace");
  }

  private static ObjectNode management(ObjectNode spec) {
    return (ObjectNode) spec.get("dynatrace").get("managementToken");
  }

  @BeforeAll
  static void start() throws Exception {
    world = TestWorld.start().withRootTokenSecret().startOperator();
  }

  @AfterAll
  static void stop() {
    world.close();
    ReliabilityReport.add("badInputsTried", tried);
    ReliabilityReport.write();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void isRejectedWithZeroUpstreamCalls(String name, Expect expect, Consumer<ObjectNode> mutation) throws Exception {
    tried++;
    String resourceName = "bad-" + (++counter);
    // each case its own secret path: two resources on one path would stall with Conflict instead
    TokenRotation valid = Resources.rotation(world, resourceName, "dynatrace/" + resourceName, "24h");
    ObjectNode document = JSON.valueToTree(valid);
    document.put("apiVersion", "tokenrotation.io/v1alpha1");
    document.put("kind", "TokenRotation");
    document.remove("status");
    assertThat(CrdSchemaTest.validateAgainstCommittedCrd(document)).as("the valid base document").isEmpty();
    mutation.accept((ObjectNode) document.get("spec"));

    List<String> schemaErrors = new ArrayList<>();
    CrdSchemaTest.validateAgainstCommittedCrd(document).forEach(m -> schemaErrors.add(m.getMessage()));
    if (expect.schemaRejects()) {
      assertThat(schemaErrors).as("schema errors for: " + name).isNotEmpty();
    } else {
      assertThat(schemaErrors).as("the schema accepts it; the operator must catch it").isEmpty();
    }
    world.clearJournals();
    world.createRaw(document.toString()); // as kubectl would send it: the embedded API server stores it unchecked
    TokenRotation stalled = world.awaitStalled(resourceName, expect.stalledReason());
    assertThat(world.condition(resourceName, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(world.condition(resourceName, "Stalled").orElseThrow().getMessage()).isNotBlank();
    assertThat(stalled.getStatus().getTokenId()).isNull();
    assertThat(world.vault.journal().entries()).as("Vault calls for: " + name).isEmpty();
    assertThat(world.dynatrace.journal().entries()).as("Dynatrace calls for: " + name).isEmpty();
  }
}
