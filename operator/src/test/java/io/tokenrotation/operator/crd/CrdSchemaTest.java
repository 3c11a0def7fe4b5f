package io.tokenrotation.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.cleanup.plan.CleanupSpecValidator;
import io.tokenrotation.operator.rotation.plan.SpecValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validates documents against the committed CRD's openAPIV3Schema (networknt, draft 4, patterns
 * evaluated with RE2 like the API server does). The validator ignores x-kubernetes-validations: the
 * exactly-one-of CEL rules are checked here to be enforced by SpecValidator instead, which the
 * operator runs on every reconcile.
 */
public class CrdSchemaTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static final Pattern TOKEN_SHAPED = Pattern.compile("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");

  static JsonSchema schema;
  static JsonSchema cleanupSchema;

  @BeforeAll
  static void loadSchema() throws IOException {
    schema = load(Crds.FILE);
    cleanupSchema = load(Crds.CLEANUP_FILE);
  }

  private static JsonSchema load(String file) throws IOException {
    JsonNode crd = YAML.readTree(Crds.committed(file).toFile());
    JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    assertThat(openApi.isObject()).isTrue();
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .regularExpressionFactory(
                regex -> {
                  com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(regex);
                  return value -> re2.matcher(value).find();
                })
            .build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi, config);
  }

  static Set<ValidationMessage> validate(JsonNode document) {
    return schema.validate(document);
  }

  static Set<ValidationMessage> validateCleanup(JsonNode document) {
    return cleanupSchema.validate(document);
  }

  /**
   * The committed CRD's schema, validating like the API server (RE2 patterns); for other test
   * packages.
   */
  public static Set<ValidationMessage> validateAgainstCommittedCrd(JsonNode document)
      throws IOException {
    if (schema == null) {
      loadSchema();
    }
    return schema.validate(document);
  }

  // ---- examples/
  // ---------------------------------------------------------------------------------------------

  record Doc(Path file, int index, JsonNode node) {
    @Override
    public String toString() {
      return Crds.examples().relativize(file) + "#" + index + " " + node.path("kind").asText();
    }
  }

  static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Crds.examples())) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  static Stream<Doc> exampleDocuments() throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (Path file : exampleFiles()) {
      try (MappingIterator<JsonNode> it =
          YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        int index = 0;
        while (it.hasNext()) {
          JsonNode node = it.next();
          if (node != null && !node.isNull() && !node.isMissingNode()) {
            docs.add(new Doc(file, index, node));
          }
          index++;
        }
      }
    }
    return docs.stream();
  }

  static Stream<Doc> exampleTokenRotations() throws IOException {
    return exampleDocuments().filter(d -> "TokenRotation".equals(d.node().path("kind").asText()));
  }

  static Stream<Doc> exampleCleanupPolicies() throws IOException {
    return exampleDocuments()
        .filter(d -> "TokenCleanupPolicy".equals(d.node().path("kind").asText()));
  }

  static Stream<Doc> exampleResources() throws IOException {
    return Stream.concat(exampleTokenRotations(), exampleCleanupPolicies());
  }

  /**
   * Valid for the API server's schema and for the operator's own validation, whichever kind it is.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleResources")
  void exampleIsValid(Doc doc) throws IOException {
    Kind kind = Kind.of(doc.node());
    assertThat(doc.node().path("apiVersion").asText()).isEqualTo("tokenrotation.io/v1alpha1");
    assertThat(kind.schema(doc.node())).as("schema").isEmpty();
    assertThat(kind.problems(doc.node())).as("the operator's validation").isEmpty();
    assertThat(doc.node().at("/metadata/namespace").isMissingNode())
        .as("namespace-less: users choose with -n")
        .isTrue();
  }

  @Test
  void everyExampleIsAKindWeKnow() throws IOException {
    assertThat(exampleDocuments().map(d -> d.node().path("kind").asText()))
        .allMatch(
            Set.of("TokenRotation", "TokenCleanupPolicy", "Secret", "ServiceAccount")::contains);
  }

  private static boolean inSandboxSet(Doc doc) {
    return Crds.examples().relativize(doc.file()).startsWith("sandbox");
  }

  @Test
  void examplesCoverEveryVariant() throws IOException {
    assertThat(exampleFiles())
        .extracting(f -> f.getFileName().toString())
        .contains(
            "automation-script1.yaml",
            "automation-script2.yaml",
            "vault-token-auth.yaml",
            "management-token-secret.yaml",
            "kv-v1.yaml",
            "bootstrap.yaml",
            "self-rotation.yaml",
            "tokencleanuppolicy-report.yaml");
    assertThat(exampleCleanupPolicies())
        .as("a cleanup policy in the sandbox set, and one for clusters")
        .anyMatch(CrdSchemaTest::inSandboxSet)
        .anyMatch(d -> !inSandboxSet(d));
    assertThat(exampleCleanupPolicies())
        .as("examples are dry runs: nobody deletes tokens by copy and paste")
        .allMatch(d -> d.node().at("/spec/action").asText("Report").equals("Report"));
    // examples/sandbox repeats some names on purpose: a separate set, applied to the sandbox's own
    // API server
    List<String> names =
        exampleTokenRotations()
            .filter(d -> !inSandboxSet(d))
            .map(d -> d.node().at("/metadata/name").asText())
            .toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(7).doesNotHaveDuplicates();
    List<String> slots =
        exampleTokenRotations()
            .filter(d -> !inSandboxSet(d))
            .map(
                d ->
                    d.node().at("/spec/vault/mount").asText("secret")
                        + "/"
                        + d.node().at("/spec/vault/path").asText())
            .toList();
    assertThat(slots).as("no two examples fight over one Vault secret").doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void examplesHoldNoRealSecrets(Path file) throws IOException {
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotContainPattern(TOKEN_SHAPED);
  }

  @Test
  void exampleSecretsHoldPlaceholdersOnly() throws IOException {
    List<Doc> secrets =
        exampleDocuments().filter(d -> "Secret".equals(d.node().path("kind").asText())).toList();
    assertThat(secrets)
        .isNotEmpty()
        .allSatisfy(
            d -> {
              assertThat(d.node().at("/metadata/namespace").isMissingNode()).isTrue();
              assertThat(d.node().has("data")).as("stringData only").isFalse();
              for (Iterator<Map.Entry<String, JsonNode>> it = d.node().path("stringData").fields();
                  it.hasNext(); ) {
                assertThat(it.next().getValue().asText()).isEqualTo("REPLACE_ME");
              }
            });
  }

  // ---- specs the schema rejects
  // ------------------------------------------------------------------------------

  static final String BASE =
      """
      apiVersion: tokenrotation.io/v1alpha1
      kind: TokenRotation
      metadata:
        name: base
      spec:
        interval: 24h
        vault:
          address: https://vault.example:8200
          path: dynatrace/automation_script1
          auth:
            kubernetes:
              role: token-rotator
        dynatrace:
          environmentUrl: https://abc12345.live.dynatrace.com
          managementToken:
            vault:
              path: dynatrace/master
      """;

  static ObjectNode base() {
    return parse(BASE);
  }

  static ObjectNode parse(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode at(ObjectNode doc, String pointer) {
    return (ObjectNode) doc.at(pointer);
  }

  static Consumer<ObjectNode> remove(String parent, String field) {
    return d -> at(d, parent).remove(field);
  }

  static Consumer<ObjectNode> set(String parent, String field, Object value) {
    return d ->
        at(d, parent)
            .set(
                field,
                value instanceof JsonNode n ? n : Serialization.jsonMapper().valueToTree(value));
  }

  static Arguments bad(String name, Consumer<ObjectNode> mutation) {
    return Arguments.of(name, mutation);
  }

  static Stream<Arguments> schemaInvalid() {
    ArrayNode tooManyScopes = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < 201; i++) {
      tooManyScopes.add("scope" + i);
    }
    ObjectNode newTokenWithTooManyScopes =
        JsonNodeFactory.instance.objectNode().set("scopes", tooManyScopes);
    return Stream.of(
        bad("a schedule without cron", set("/spec", "schedule", Map.of("window", "2h"))),
        bad("a cron of three fields", set("/spec", "schedule", Map.of("cron", "0 2 *"))),
        bad(
            "a window that is not a duration",
            set("/spec", "schedule", Map.of("cron", "@daily", "window", "two hours"))),
        bad(
            "a secret target without key",
            set("/spec", "secretTargets", List.of(Map.of("name", "app")))),
        bad(
            "a restart target of an unknown kind",
            set("/spec", "rolloutRestartTargets", List.of(Map.of("kind", "Job", "name", "app")))),
        bad("missing vault", remove("/spec", "vault")),
        bad("missing dynatrace", remove("/spec", "dynatrace")),
        bad("missing vault address", remove("/spec/vault", "address")),
        bad("missing vault path", remove("/spec/vault", "path")),
        bad("missing vault auth", remove("/spec/vault", "auth")),
        bad("missing environment URL", remove("/spec/dynatrace", "environmentUrl")),
        bad("missing management token", remove("/spec/dynatrace", "managementToken")),
        bad(
            "missing management token vault path",
            remove("/spec/dynatrace/managementToken/vault", "path")),
        bad("kubernetes auth without role", remove("/spec/vault/auth/kubernetes", "role")),
        bad("kubernetes auth with empty role", set("/spec/vault/auth/kubernetes", "role", "")),
        bad("interval 1y", set("/spec", "interval", "1y")),
        bad("interval with a space", set("/spec", "interval", "10 m")),
        bad("interval negative", set("/spec", "interval", "-1h")),
        bad("interval as a number", set("/spec", "interval", 24)),
        bad("interval 30s below the 1m minimum", set("/spec", "interval", "30s")),
        bad("interval 59s", set("/spec", "interval", "59s")),
        bad("interval 0m", set("/spec", "interval", "0m")),
        bad("interval 0h0m30s", set("/spec", "interval", "0h0m30s")),
        bad("expiresAfter 30s", set("/spec", "newToken", Map.of("expiresAfter", "30s"))),
        bad(
            "gracePeriod not a duration",
            set("/spec", "oldToken", Map.of("gracePeriod", "5 minutes"))),
        bad(
            "expiresAfter not a duration",
            set("/spec", "newToken", Map.of("expiresAfter", "30 days"))),
        bad("deletionPolicy Delete", set("/spec", "deletionPolicy", "Delete")),
        bad("deletionPolicy lowercase", set("/spec", "deletionPolicy", "retain")),
        bad("oldToken action Remove", set("/spec", "oldToken", Map.of("action", "Remove"))),
        bad("kvVersion \"3\"", set("/spec/vault", "kvVersion", "3")),
        bad("kvVersion \"v2\"", set("/spec/vault", "kvVersion", "v2")),
        bad("kvVersion as a number", set("/spec/vault", "kvVersion", 2)),
        bad("path with leading '/'", set("/spec/vault", "path", "/dynatrace/master")),
        bad("path with trailing '/'", set("/spec/vault", "path", "dynatrace/master/")),
        bad("path with '..'", set("/spec/vault", "path", "dynatrace/../master")),
        bad("path that is '..'", set("/spec/vault", "path", "..")),
        bad("path with '.' segment", set("/spec/vault", "path", "dynatrace/./master")),
        bad("path with an empty segment", set("/spec/vault", "path", "dynatrace//master")),
        bad("oversized path", set("/spec/vault", "path", "p".repeat(513))),
        bad("mount '.'", set("/spec/vault", "mount", ".")),
        bad(
            "management token path with '..'",
            set("/spec/dynatrace/managementToken/vault", "path", "../master")),
        bad("empty field", set("/spec/vault", "field", "")),
        bad(
            "empty management token field",
            set("/spec/dynatrace/managementToken/vault", "field", "")),
        bad(
            "secret ref with an empty key",
            set("/spec/vault", "caSecretRef", Map.of("name", "vault-ca", "key", ""))),
        bad("field with spaces", set("/spec/vault", "field", "api token")),
        bad("oversized namespace", set("/spec/vault", "namespace", "n".repeat(257))),
        bad(
            "environment URL ftp://",
            set("/spec/dynatrace", "environmentUrl", "ftp://abc12345.live.dynatrace.com")),
        bad("vault address without scheme", set("/spec/vault", "address", "vault.example:8200")),
        bad("vault address with a space", set("/spec/vault", "address", "https://vault example")),
        bad(
            "secret ref name uppercase",
            set(
                "/spec/dynatrace/managementToken",
                "secretRef",
                Map.of("name", "Dynatrace-Token", "key", "token"))),
        bad(
            "secret ref without key",
            set("/spec/dynatrace/managementToken", "secretRef", Map.of("name", "dynatrace-token"))),
        bad(
            "secret ref key with '/'",
            set("/spec/vault", "caSecretRef", Map.of("name", "vault-ca", "key", "a/b"))),
        bad(
            "service account uppercase",
            set("/spec/vault/auth/kubernetes", "serviceAccount", "Token-Rotator")),
        bad("more than 200 scopes", set("/spec", "newToken", newTokenWithTooManyScopes)),
        bad("suspend as a string", set("/spec", "suspend", "yes")));
  }

  /** A kind: its valid base document, its committed schema and the operator's own validation. */
  enum Kind {
    TokenRotation,
    TokenCleanupPolicy;

    ObjectNode base() {
      return this == TokenRotation ? CrdSchemaTest.base() : cleanupBase();
    }

    Set<ValidationMessage> schema(JsonNode document) {
      return this == TokenRotation ? validate(document) : validateCleanup(document);
    }

    List<String> problems(JsonNode document) throws IOException {
      return this == TokenRotation
          ? SpecValidator.validate(
                  Serialization.jsonMapper().treeToValue(document, TokenRotation.class).getSpec())
              .problems()
          : CleanupSpecValidator.validate(
                  Serialization.jsonMapper()
                      .treeToValue(document, TokenCleanupPolicy.class)
                      .getSpec())
              .problems();
    }

    static Kind of(JsonNode document) {
      return valueOf(document.path("kind").asText());
    }
  }

  static Stream<Arguments> allSchemaInvalid() {
    return Stream.concat(
        schemaInvalid().map(a -> Arguments.of(Kind.TokenRotation, a.get()[0], a.get()[1])),
        cleanupSchemaInvalid()
            .map(a -> Arguments.of(Kind.TokenCleanupPolicy, a.get()[0], a.get()[1])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("allSchemaInvalid")
  void schemaRejects(Kind kind, String name, Consumer<ObjectNode> mutation) {
    ObjectNode doc = kind.base();
    assertThat(kind.schema(doc)).as("the base document is valid").isEmpty();

    mutation.accept(doc);

    assertThat(kind.schema(doc)).isNotEmpty();
  }

  /**
   * Refused by the schema and by the operator alike: an API server that skips the schema (or an
   * object stored before the schema said so) must not make these mean something else (an empty
   * field is not "token").
   */
  static Stream<Arguments> refusedByBoth() {
    return Stream.of(
        Arguments.of(
            Kind.TokenRotation,
            "empty field",
            set("/spec/vault", "field", ""),
            "spec.vault.field: empty"),
        Arguments.of(
            Kind.TokenRotation,
            "empty management token field",
            set("/spec/dynatrace/managementToken/vault", "field", ""),
            "spec.dynatrace.managementToken.vault.field: empty"),
        Arguments.of(
            Kind.TokenRotation,
            "empty mount",
            set("/spec/vault", "mount", ""),
            "spec.vault.mount: empty"),
        Arguments.of(
            Kind.TokenCleanupPolicy,
            "empty management token field",
            set("/spec/dynatrace/managementToken/vault", "field", ""),
            "spec.dynatrace.managementToken.vault.field: empty"),
        Arguments.of(
            Kind.TokenRotation,
            "interval 30s",
            set("/spec", "interval", "30s"),
            "shorter than the minimum 1m"),
        Arguments.of(
            Kind.TokenRotation,
            "interval 0m",
            set("/spec", "interval", "0m"),
            "shorter than the minimum 1m"),
        Arguments.of(
            Kind.TokenCleanupPolicy,
            "interval 59s",
            set("/spec", "interval", "59s"),
            "shorter than the minimum 1m"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("refusedByBoth")
  void schemaAndOperatorBothRefuse(
      Kind kind, String name, Consumer<ObjectNode> mutation, String problem) throws IOException {
    ObjectNode doc = kind.base();
    mutation.accept(doc);

    assertThat(kind.schema(doc)).as("schema").isNotEmpty();
    assertThat(kind.problems(doc))
        .as("the operator's validation")
        .anySatisfy(p -> assertThat(p).contains(problem));
  }

  @ParameterizedTest(name = "interval {0}")
  @ValueSource(strings = {"1m", "90s", "60000ms", "1h30m", "0.5h", "24h", "7d", "1w"})
  void intervalsOfAMinuteOrMoreAreAccepted(String interval) throws IOException {
    for (Kind kind : Kind.values()) {
      ObjectNode doc = kind.base();
      at(doc, "/spec").put("interval", interval);

      assertThat(kind.schema(doc)).as(kind + " schema").isEmpty();
      assertThat(kind.problems(doc)).as(kind + " operator").isEmpty();
    }
  }

  // ---- what the schema cannot say: SpecValidator enforces it
  // ---------------------------------------------------

  static Arguments beyond(String name, Consumer<ObjectNode> mutation, String problem) {
    return Arguments.of(name, mutation, problem);
  }

  static Stream<Arguments> beyondTheSchema() {
    return Stream.of(
        beyond(
            "missing spec (the schema does not require it)",
            d -> d.remove("spec"),
            "spec: required"),
        beyond(
            "CEL: neither interval nor schedule", remove("/spec", "interval"), "spec.interval: "),
        beyond(
            "CEL: both auth methods",
            set(
                "/spec/vault/auth",
                "tokenSecretRef",
                Map.of("name", "vault-token", "key", "token")),
            "exactly one of kubernetes or tokenSecretRef"),
        beyond(
            "CEL: neither auth method",
            set("/spec/vault", "auth", Map.of()),
            "exactly one of kubernetes or tokenSecretRef"),
        beyond(
            "CEL: both management token sources",
            set(
                "/spec/dynatrace/managementToken",
                "secretRef",
                Map.of("name", "dynatrace-token", "key", "token")),
            "exactly one of vault or secretRef"),
        beyond(
            "CEL: neither management token source",
            set("/spec/dynatrace", "managementToken", Map.of()),
            "exactly one of vault or secretRef"),
        beyond(
            "interval 0.01h (36s): below the 1m minimum, the pattern cannot tell",
            set("/spec", "interval", "0.01h"),
            "shorter than the minimum 1m"),
        beyond(
            "interval 30s20s: a sum below the 1m minimum",
            set("/spec", "interval", "30s20s"),
            "shorter than the minimum 1m"),
        beyond(
            "URL with a query",
            set("/spec/dynatrace", "environmentUrl", "https://abc12345.live.dynatrace.com/?a=b"),
            "with a host and no query"),
        beyond(
            "duplicate scopes",
            set("/spec", "newToken", Map.of("scopes", List.of("logs.ingest", "logs.ingest"))),
            "duplicate scopes"),
        beyond(
            "scope with an invalid name",
            set("/spec", "newToken", Map.of("scopes", List.of("bad scope"))),
            "is not a scope name"),
        beyond(
            "expiresAfter shorter than interval",
            set("/spec", "newToken", Map.of("expiresAfter", "1h")),
            "shorter than spec.interval"));
  }

  static Stream<Arguments> allBeyondTheSchema() {
    return Stream.concat(
        beyondTheSchema()
            .map(a -> Arguments.of(Kind.TokenRotation, a.get()[0], a.get()[1], a.get()[2])),
        cleanupBeyondTheSchema()
            .map(a -> Arguments.of(Kind.TokenCleanupPolicy, a.get()[0], a.get()[1], a.get()[2])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("allBeyondTheSchema")
  void operatorRejectsWhatTheSchemaAccepts(
      Kind kind, String name, Consumer<ObjectNode> mutation, String problem) throws IOException {
    ObjectNode doc = kind.base();
    mutation.accept(doc);

    assertThat(kind.schema(doc)).as("openAPIV3Schema alone accepts it").isEmpty();
    assertThat(kind.problems(doc)).anySatisfy(p -> assertThat(p).contains(problem));
  }

  // ---- TokenCleanupPolicy
  // --------------------------------------------------------------------------------------

  static final String CLEANUP_BASE =
      """
      apiVersion: tokenrotation.io/v1alpha1
      kind: TokenCleanupPolicy
      metadata:
        name: base
      spec:
        interval: 24h
        vault:
          address: https://vault.example:8200
          auth:
            kubernetes:
              role: token-rotator
        dynatrace:
          environmentUrl: https://abc12345.live.dynatrace.com
          managementToken:
            vault:
              path: dynatrace/master
        selector:
          unusedFor: 90d
      """;

  static ObjectNode cleanupBase() {
    return parse(CLEANUP_BASE);
  }

  static Stream<Arguments> cleanupSchemaInvalid() {
    return Stream.of(
        bad("missing interval", remove("/spec", "interval")),
        bad("missing dynatrace", remove("/spec", "dynatrace")),
        bad("missing selector", remove("/spec", "selector")),
        bad("interval not a duration", set("/spec", "interval", "daily")),
        bad("interval 30s below the 1m minimum", set("/spec", "interval", "30s")),
        bad("interval 0m", set("/spec", "interval", "0m")),
        bad("action lowercase", set("/spec", "action", "delete")),
        bad("action Revoke", set("/spec", "action", "Revoke")),
        bad("maxPerRun 0", set("/spec", "maxPerRun", 0)),
        bad("maxPerRun 501", set("/spec", "maxPerRun", 501)),
        bad("maxPerRun as a string", set("/spec", "maxPerRun", "10")),
        bad("unusedFor not a duration", set("/spec/selector", "unusedFor", "3 months")),
        bad("owners empty", set("/spec/selector", "owners", List.of())),
        bad("owner empty", set("/spec/selector", "owners", List.of(""))),
        bad("namePattern empty", set("/spec/selector", "namePattern", "")),
        bad("scope with a space", set("/spec/selector", "scopesAny", List.of("Data Export"))),
        bad(
            "exclude id with its secret part",
            set(
                "/spec",
                "exclude",
                Map.of(
                    "ids",
                    List.of("dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRETSECRETSECRET")))),
        bad(
            "exclude id that is a name",
            set("/spec", "exclude", Map.of("ids", List.of("automation")))),
        bad("vault without auth", remove("/spec/vault", "auth")),
        bad("suspend as a string", set("/spec", "suspend", "yes")));
  }

  static Stream<Arguments> cleanupBeyondTheSchema() {
    return Stream.of(
        beyond(
            "CEL: empty selector",
            set("/spec", "selector", Map.of()),
            "an empty selector would match every token"),
        beyond(
            "CEL: management token in Vault without spec.vault",
            remove("/spec", "vault"),
            "spec.vault: required when"),
        beyond(
            "unusedFor below a day",
            set("/spec/selector", "unusedFor", "1h"),
            "shorter than the minimum 1d"),
        beyond(
            "namePattern RE2 cannot compile (lookahead)",
            set("/spec/selector", "namePattern", "ci-(?!keep).*"),
            "is not an RE2 regular expression"),
        beyond(
            "interval 0.01h (36s) below the 1m minimum",
            set("/spec", "interval", "0.01h"),
            "shorter than the minimum 1m"));
  }

  @Test
  void textNodeSanity() {
    // kvVersion must be quoted in YAML: an unquoted 1 is a number and the schema rejects it.
    ObjectNode doc = base();
    at(doc, "/spec/vault").set("kvVersion", TextNode.valueOf("1"));
    assertThat(validate(doc)).isEmpty();
  }
}
