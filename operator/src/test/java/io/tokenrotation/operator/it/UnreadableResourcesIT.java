package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resources this operator cannot read. One TokenRotation with {@code oldToken.action: Explode}
 * (stored by an API server that applies no schema, or written for another CRD version) used to stop
 * the informer and with it the whole operator. Now such a resource stalls with InvalidSpec without
 * one upstream call, a status it cannot read makes it leave that resource alone, and every other
 * resource goes on rotating.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest // one test stores resources before the operator starts
class UnreadableResourcesIT {
  private static final String PATH = "dynatrace/automation_script1";
  private static final String ROTATE = TokenRotation.ROTATE_REQUESTED_AT;
  private TestWorld world;

  /**
   * The Dynatrace token the unreadable resources would use: any call made for them would carry its
   * id.
   */
  private String theirManagementTokenId;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  /**
   * A TokenRotation as JSON (on its own secret path, no status), broken by {@code breakIt} on its
   * spec. It logs in to Vault and Dynatrace with tokens of its own (Secrets "theirs-vault",
   * "theirs-dt"), so that any call made for it would show in the journals, whatever the valid
   * resources do meanwhile.
   */
  private String rotationJson(String name, Consumer<ObjectNode> breakIt) {
    TokenRotation tr =
        Resources.withManagementTokenSecret(
            Resources.withVaultTokenSecret(
                rotation(world, name, "dynatrace/" + name, "24h"), "theirs-vault"),
            "theirs-dt",
            "token");
    ObjectNode doc = Serialization.jsonMapper().valueToTree(tr);
    doc.remove("status");
    breakIt.accept((ObjectNode) doc.get("spec"));
    return doc.toString();
  }

  private String cleanupPolicyJson(String name, Consumer<ObjectNode> breakIt) {
    ObjectNode doc =
        Serialization.jsonMapper()
            .valueToTree(
                CleanupPolicies.policy(world, name, s -> s.getSelector().setUnusedFor("90d")));
    doc.remove("status");
    breakIt.accept((ObjectNode) doc.get("spec"));
    return doc.toString();
  }

  private void createUnreadableSpecs() {
    world.secret(
        "theirs-vault",
        Map.of("token", world.vault.createToken("", Set.of("default"), Duration.ZERO, false)));
    var theirs =
        world.dynatrace.createToken("theirs", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    theirManagementTokenId = theirs.id();
    world.secret("theirs-dt", Map.of("token", theirs.token()));
    world.createRaw(
        rotationJson("bad-enum", s -> s.putObject("oldToken").put("action", "Explode")));
    world.createRaw(rotationJson("bad-policy", s -> s.put("deletionPolicy", "Destroy")));
    world.createRaw(rotationJson("bad-shape", s -> s.put("vault", "x")));
  }

  private void assertStalledWithoutUpstreamCalls() {
    assertStalled(
        "bad-enum",
        "spec.oldToken.action: unknown value (supported: Delete, Disable, DisableThenDelete)");
    assertStalled("bad-policy", "spec.deletionPolicy: unknown value (supported: Retain, Revoke)");
    assertStalled("bad-shape", "spec.vault: expected an object, got a string");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(this::noCallForTheUnreadable);
    // the operator's own writes (finalizer, status) left the value it could not read as the user
    // wrote it
    assertThat(stored("bad-enum").at("/spec/oldToken/action").asText()).isEqualTo("Explode");
    assertThat(stored("bad-shape").at("/spec/vault").asText()).isEqualTo("x");
  }

  /**
   * Vault saw only the valid resources' root token; Dynatrace never the unreadable ones' management
   * token.
   */
  private boolean noCallForTheUnreadable() {
    return world.vault.journal().entries().stream()
            .allMatch(e -> world.vault.rootTokenAccessor().equals(e.principal()))
        && world.dynatrace.journal().entries().stream()
            .noneMatch(e -> theirManagementTokenId.equals(e.principal()));
  }

  private void assertStalled(String name, String problem) {
    TokenRotation tr = world.awaitStalled(name, Reasons.INVALID_SPEC);
    assertThat(
            Conditions.find(tr.getStatus().getConditions(), Conditions.STALLED)
                .orElseThrow()
                .getMessage())
        .startsWith(problem);
    assertThat(tr.getStatus().getTokenId()).isNull();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                world.warnings(name).stream()
                    .anyMatch(
                        e ->
                            Reasons.INVALID_SPEC.equals(e.getReason())
                                && e.getMessage().contains(problem)));
  }

  private void assertRotatesOnRequest(String name, String request) {
    String before = world.get(name).getStatus().getTokenId();
    world.annotate(name, ROTATE, request);
    TokenRotation rotated =
        world.await(
            name,
            "rotated on request " + request,
            tr -> request.equals(tr.getStatus().getLastHandledRotateRequest()));
    assertThat(rotated.getStatus().getTokenId())
        .isNotEqualTo(before)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    world.awaitReady(name, Reasons.ROTATED);
  }

  /** As the API server stores it (read without the API classes). */
  private JsonNode stored(String name) {
    return Serialization.jsonMapper().valueToTree(world.getRaw("TokenRotation", name));
  }

  private String scrape() {
    return world.operator().metrics().scrape();
  }

  @Test
  void unreadableSpecsStallWhileEveryOtherResourceGoesOn() {
    world.startOperator();
    world.apply(rotation(world, "good", PATH, "24h"));
    world.awaitReady("good", Reasons.ADOPTED);
    world.clearJournals();

    createUnreadableSpecs();
    world.createRaw(cleanupPolicyJson("bad-action", s -> s.put("action", "Purge")));

    assertStalledWithoutUpstreamCalls();
    TokenCleanupPolicy policy =
        CleanupPolicies.awaitStalled(world, "bad-action", Reasons.INVALID_SPEC);
    assertThat(CleanupPolicies.condition(policy, Conditions.STALLED).orElseThrow().getMessage())
        .startsWith("spec.action: unknown value (supported: Report, Disable, Delete)");
    assertThat(world.upstreamCalls()).as("nothing at all since the valid one adopted").isZero();
    assertThat(scrape())
        .contains("tokenrotation_unreadable_resources{kind=\"TokenRotation\",part=\"spec\"} 3.0")
        .contains(
            "tokenrotation_unreadable_resources{kind=\"TokenCleanupPolicy\",part=\"spec\"} 1.0")
        .contains("tokenrotation_unreadable_resources{kind=\"TokenRotation\",part=\"status\"} 0.0");

    // the informer is alive (it delivers the annotation) and the valid resource rotates
    assertRotatesOnRequest("good", "after-the-bad-ones");
  }

  /**
   * The initial list, not only the watch: a list with one unreadable item used to fail as a whole.
   */
  @Test
  void resourcesStoredBeforeTheOperatorStartsAreReadToo() {
    world.apply(rotation(world, "good", PATH, "24h"));
    createUnreadableSpecs();

    world.startOperator();

    world.awaitReady("good", Reasons.ADOPTED);
    assertStalledWithoutUpstreamCalls();
    assertRotatesOnRequest("good", "listed-with-bad-ones");
  }

  /**
   * A status with a value this version does not know (here a retire action of a newer one) may hold
   * work still to do: the operator does nothing with that resource, not even on a rotate request or
   * its deletion, and says so; cleanup policies do not run while they cannot know which tokens it
   * protects. Once the status can be read again, everything resumes.
   */
  @Test
  void aStatusItCannotReadIsLeftAloneUntilItCanBeRead() {
    world.startOperator();
    TokenRotation resource = rotation(world, "kept", PATH, "24h");
    resource.getSpec().setDeletionPolicy(DeletionPolicy.Revoke);
    world.apply(resource);
    String tokenId = world.awaitReady("kept", Reasons.ADOPTED).getStatus().getTokenId();

    world.editRawStatus(
        "TokenRotation",
        "kept",
        status ->
            status.put(
                "retiredTokens",
                List.of(
                    Map.of(
                        "id",
                        "dt0c01.FROMANEWERVERSION",
                        "action",
                        "Archive",
                        "dueAt",
                        "2020-01-01T00:00:00Z"))));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                world.warnings("kept").stream()
                    .anyMatch(
                        e ->
                            "StatusUnreadable".equals(e.getReason())
                                && e.getMessage()
                                    .contains("status.retiredTokens[0].action: unknown value")));
    assertThat(scrape())
        .contains("tokenrotation_unreadable_resources{kind=\"TokenRotation\",part=\"status\"} 1.0");
    world.clearJournals();
    world.annotate("kept", ROTATE, "while-unreadable");
    world.delete("kept"); // deletionPolicy Revoke: a cleanup would delete the token in Dynatrace
    CleanupPolicies.apply(
        world, CleanupPolicies.policy(world, "report", s -> s.getSelector().setUnusedFor("1d")));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> world.upstreamCalls() == 0);
    TokenRotation kept = world.get("kept");
    assertThat(kept).as("the finalizer stays: deletion waits").isNotNull();
    assertThat(kept.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(kept.statusUnreadable()).isTrue();
    assertThat(stored("kept").at("/status/tokenId").asText())
        .as("status as it was")
        .isEqualTo(tokenId);
    assertThat(stored("kept").at("/status/retiredTokens/0/action").asText()).isEqualTo("Archive");
    assertThat(world.dynatrace.tokens()).extracting(TokenView::id).contains(tokenId);
    assertThat(CleanupPolicies.get(world, "report").getStatus()).as("no cleanup run").isNull();

    world.editRawStatus("TokenRotation", "kept", status -> status.remove("retiredTokens"));

    world.awaitGone("kept");
    assertThat(world.dynatrace.tokens()).extracting(TokenView::id).doesNotContain(tokenId);
    CleanupPolicies.awaitRun(world, "report");
  }
}
