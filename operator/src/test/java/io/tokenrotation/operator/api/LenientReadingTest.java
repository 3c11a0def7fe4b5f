package io.tokenrotation.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.cleanup.plan.CleanupSpecValidator;
import io.tokenrotation.operator.rotation.plan.SpecValidator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the informer deserializes must never throw because of what a spec or status holds: one
 * exception there used to stop the informer and JOSDK then the whole operator. Read with both
 * serializations the operator meets: Fabric8's static one and a client's own {@link
 * KubernetesSerialization}.
 */
class LenientReadingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROTATION =
      """
      {"apiVersion": "tokenrotation.io/v1alpha1", "kind": "TokenRotation",
       "metadata": {"name": "r", "namespace": "team-a", "uid": "u1", "resourceVersion": "7"},
       "spec": {"interval": "24h",
                "vault": {"address": "https://vault.example:8200", "path": "dynatrace/automation_script1",
                          "auth": {"kubernetes": {"role": "token-rotator"}}},
                "dynatrace": {"environmentUrl": "https://abc12345.live.dynatrace.com",
                              "managementToken": {"vault": {"path": "dynatrace/master"}}}},
       "status": {"tokenId": "dt0c01.ST2EY72KQINMH574WMNVI7YN", "observedGeneration": 1,
                  "retiredTokens": [{"id": "dt0c01.OLD", "action": "Delete", "dueAt": "2026-01-01T00:00:00Z"}]}}
      """;
  private static final String POLICY =
      """
      {"apiVersion": "tokenrotation.io/v1alpha1", "kind": "TokenCleanupPolicy",
       "metadata": {"name": "p", "namespace": "team-a"},
       "spec": {"interval": "24h",
                "dynatrace": {"environmentUrl": "https://abc12345.live.dynatrace.com",
                              "managementToken": {"secretRef": {"name": "dt", "key": "token"}}},
                "selector": {"unusedFor": "90d"}, "action": "Report"},
       "status": {"matched": 1, "candidates": [{"id": "dt0c01.X", "outcome": "Reported"}]}}
      """;

  /**
   * The two ways the operator's JSON is read: Fabric8's static mapper and a client's own
   * serialization.
   */
  enum Reader {
    STATIC,
    CLIENT;

    <T> T read(String json, Class<T> type) {
      return this == STATIC
          ? Serialization.unmarshal(json, type)
          : new KubernetesSerialization().unmarshal(json, type);
    }
  }

  static ObjectNode rotation() throws Exception {
    return (ObjectNode) JSON.readTree(ROTATION);
  }

  static ObjectNode policy() throws Exception {
    return (ObjectNode) JSON.readTree(POLICY);
  }

  static ObjectNode at(JsonNode doc, String pointer) {
    return (ObjectNode) doc.at(pointer);
  }

  // ---- unknown enum values
  // -------------------------------------------------------------------------------------

  static Stream<Arguments> unknownEnumValues() {
    return Stream.of(Reader.values())
        .flatMap(
            reader ->
                Stream.of(
                    Arguments.of(
                        reader,
                        "spec.oldToken.action",
                        "/spec",
                        "oldToken",
                        "{\"action\": \"Explode\"}",
                        "Delete, Disable, DisableThenDelete"),
                    Arguments.of(
                        reader,
                        "spec.deletionPolicy",
                        "/spec",
                        "deletionPolicy",
                        "\"Destroy\"",
                        "Retain, Revoke"),
                    Arguments.of(
                        reader,
                        "spec.action",
                        "/spec",
                        "action",
                        "\"Purge\"",
                        "Report, Disable, Delete")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("unknownEnumValues")
  void anUnknownEnumValueIsReadAndRefusedByTheValidator(
      Reader reader, String field, String parent, String name, String value, String supported)
      throws Exception {
    ObjectNode doc = field.equals("spec.action") ? policy() : rotation();
    at(doc, parent).set(name, JSON.readTree(value));

    List<String> problems =
        field.equals("spec.action")
            ? CleanupSpecValidator.validate(
                    reader.read(doc.toString(), TokenCleanupPolicy.class).getSpec())
                .problems()
            : SpecValidator.validate(reader.read(doc.toString(), TokenRotation.class).getSpec())
                .problems();

    assertThat(problems).containsExactly(field + ": unknown value (supported: " + supported + ")");
  }

  @Test
  void enumValuesAreReadByTheirExactNameOnly() throws Exception {
    for (String value : List.of("\"1\"", "1", "\" Delete \"", "\"delete\"")) {
      ObjectNode doc = rotation();
      at(doc, "/spec").set("oldToken", JSON.readTree("{\"action\": " + value + "}"));

      TokenRotation read = Serialization.unmarshal(doc.toString(), TokenRotation.class);

      assertThat(read.getSpec().getOldToken().getAction()).as(value).isNull();
      assertThat(SpecValidator.validate(read.getSpec()).problems())
          .as(value)
          .singleElement()
          .asString()
          .startsWith("spec.oldToken.action: ");
    }
  }

  // ---- shape errors
  // --------------------------------------------------------------------------------------------

  static Stream<Arguments> shapeErrors() {
    return Stream.of(
        Arguments.of(
            "a string for an object",
            (Function<ObjectNode, JsonNode>) d -> at(d, "/spec").put("vault", "x"),
            List.of("spec.vault: expected an object, got a string")),
        Arguments.of(
            "not true or false",
            (Function<ObjectNode, JsonNode>) d -> at(d, "/spec").put("suspend", "yes"),
            List.of("spec.suspend: expected true or false, got a string")),
        Arguments.of(
            "an object in a list of strings",
            (Function<ObjectNode, JsonNode>)
                d ->
                    at(d, "/spec")
                        .putObject("newToken")
                        .putArray("scopes")
                        .add("a")
                        .add(JSON.createObjectNode()),
            List.of("spec.newToken.scopes[1]: expected a string, got an object")),
        Arguments.of(
            "a field this version does not know",
            (Function<ObjectNode, JsonNode>)
                d -> at(d, "/spec/vault").put("rotateAlsoThe", "other"),
            List.of(
                "spec.vault.rotateAlsoThe: unknown field (this version of the operator does not know it)")),
        Arguments.of(
            "a spec that is no object",
            (Function<ObjectNode, JsonNode>) d -> d.put("spec", "x"),
            List.of("spec: expected an object, got a string")),
        Arguments.of(
            "two at once",
            (Function<ObjectNode, JsonNode>)
                d -> at(d, "/spec").put("vault", 3).put("deletionPolicy", "Destroy"),
            List.of(
                "spec.vault: expected an object, got a number",
                "spec.deletionPolicy: unknown value (supported: Retain, Revoke)")));
  }

  /**
   * Reported once each, first, and not again as "required" (the value is absent from the object
   * read).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("shapeErrors")
  void aShapeErrorIsReadAndRefusedByTheValidator(
      String name, Function<ObjectNode, JsonNode> breakIt, List<String> expected) throws Exception {
    ObjectNode doc = rotation();
    breakIt.apply(doc);

    TokenRotation read = Serialization.unmarshal(doc.toString(), TokenRotation.class);

    assertThat(read.getSpec().readProblems()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(SpecValidator.validate(read.getSpec()).problems())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(read.statusUnreadable()).isFalse();
  }

  @Test
  void problemsNeverRepeatAValueOnlyAnUnknownFieldsName() throws Exception {
    ObjectNode doc = rotation();
    at(doc, "/spec").put("deletionPolicy", "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRET");
    at(doc, "/spec").put("suspend", "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRET");
    at(doc, "/spec").put("x".repeat(300), 1);

    List<String> problems =
        Serialization.unmarshal(doc.toString(), TokenRotation.class).getSpec().readProblems();

    assertThat(problems)
        .hasSize(3)
        .noneMatch(p -> p.contains("SECRET"))
        .allMatch(p -> p.length() < 150);
  }

  // ---- written back as read
  // ------------------------------------------------------------------------------------

  /**
   * JOSDK hands the reconciler a copy made by serializing: what could not be read must come back in
   * that copy as it was, or an unknown oldToken.action would become the default Delete and the
   * resource would rotate.
   */
  @Test
  void aCopyMadeBySerializingIsRefusedForTheSameReasons() throws Exception {
    ObjectNode doc = rotation();
    at(doc, "/spec")
        .set("oldToken", JSON.readTree("{\"action\": \"Explode\", \"gracePeriod\": \"1m\"}"));
    at(doc, "/spec").put("suspend", "yes");
    KubernetesSerialization serialization = new KubernetesSerialization();
    TokenRotation read = serialization.unmarshal(doc.toString(), TokenRotation.class);

    TokenRotation copy = serialization.clone(read);

    assertThat(JSON.readTree(serialization.asJson(copy)).get("spec")).isEqualTo(doc.get("spec"));
    assertThat(SpecValidator.validate(copy.getSpec()).problems())
        .containsExactlyInAnyOrderElementsOf(SpecValidator.validate(read.getSpec()).problems())
        .hasSize(2);
  }

  @Test
  void aValueSetSinceWinsOverTheOriginal() throws Exception {
    ObjectNode doc = rotation();
    at(doc, "/spec").put("deletionPolicy", "Destroy");
    TokenRotation read = Serialization.unmarshal(doc.toString(), TokenRotation.class);

    read.getSpec().setDeletionPolicy(DeletionPolicy.Revoke);

    assertThat(JSON.readTree(Serialization.asJson(read)).at("/spec/deletionPolicy").asText())
        .isEqualTo("Revoke");
  }

  @Test
  void aFullyReadResourceIsWrittenExactlyAsBefore() throws Exception {
    for (String json : List.of(ROTATION, POLICY)) {
      HasSpecAndStatus read =
          json.equals(ROTATION)
              ? new HasSpecAndStatus(Serialization.unmarshal(json, TokenRotation.class))
              : new HasSpecAndStatus(Serialization.unmarshal(json, TokenCleanupPolicy.class));

      assertThat(read.spec().fullyRead()).isTrue();
      assertThat(read.status().fullyRead()).isTrue();
      assertThat(JSON.readTree(Serialization.asJson(read.resource())))
          .isEqualTo(JSON.readTree(json));
    }
  }

  // ---- status: all or nothing
  // ----------------------------------------------------------------------------------

  static Stream<Arguments> unreadableStatuses() {
    return Stream.of(
        Arguments.of(
            "a retire action this version does not know",
            (Function<ObjectNode, JsonNode>)
                d -> at(d, "/status/retiredTokens/0").put("action", "Archive"),
            "status.retiredTokens[0].action: unknown value (supported: Delete, Disable, DisableThenDelete)"),
        Arguments.of(
            "a status field this version does not know",
            (Function<ObjectNode, JsonNode>)
                d -> at(d, "/status").put("pendingRevocation", "dt0c01.X"),
            "status.pendingRevocation: unknown field (this version of the operator does not know it)"),
        Arguments.of(
            "a status that is no object",
            (Function<ObjectNode, JsonNode>) d -> d.put("status", 1),
            "status: expected an object, got a number"));
  }

  /**
   * A status the operator cannot fully read may hold a pending rotation or tokens to retire:
   * nothing of it is used (an empty status stands for it, marked unreadable), and it is written
   * back whole, so no write can lose it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableStatuses")
  void aStatusThatCannotBeFullyReadIsKeptWhole(
      String name, Function<ObjectNode, JsonNode> breakIt, String problem) throws Exception {
    ObjectNode doc = rotation();
    breakIt.apply(doc);

    TokenRotation read = Serialization.unmarshal(doc.toString(), TokenRotation.class);

    assertThat(read.statusUnreadable()).isTrue();
    assertThat(read.getStatus().readProblems()).containsExactly(problem);
    assertThat(read.getStatus().getTokenId()).isNull();
    assertThat(read.getStatus().getRetiredTokens()).isNull();
    read.getStatus()
        .setTokenId("dt0c01.CHANGED"); // a write from this copy must not replace what is stored
    assertThat(JSON.readTree(Serialization.asJson(read)).get("status"))
        .isEqualTo(doc.get("status"));
    assertThat(read.getSpec().fullyRead()).isTrue();
  }

  @Test
  void aCleanupPolicyStatusWithAnUnknownOutcomeIsUnreadable() throws Exception {
    ObjectNode doc = policy();
    at(doc, "/status/candidates/0").put("outcome", "Archived");

    TokenCleanupPolicy read =
        new KubernetesSerialization().unmarshal(doc.toString(), TokenCleanupPolicy.class);

    assertThat(read.statusUnreadable()).isTrue();
    assertThat(read.getStatus().readProblems())
        .singleElement()
        .asString()
        .startsWith("status.candidates[0].outcome: unknown value");
  }

  @Test
  void unknownTopLevelFieldsAreIgnoredLikeAnApiServerPrunesThem() throws Exception {
    ObjectNode doc = rotation();
    doc.put("extra", true);

    TokenRotation read = Serialization.unmarshal(doc.toString(), TokenRotation.class);

    assertThat(read.getSpec().fullyRead()).isTrue();
    assertThat(read.statusUnreadable()).isFalse();
  }

  /** Either kind, for the checks both share. */
  private record HasSpecAndStatus(Object resource, LenientlyRead spec, LenientlyRead status) {
    HasSpecAndStatus(TokenRotation r) {
      this(r, r.getSpec(), r.getStatus());
    }

    HasSpecAndStatus(TokenCleanupPolicy p) {
      this(p, p.getSpec(), p.getStatus());
    }
  }
}
