package io.tokenrotation.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.logging.MdcKeys;
import io.tokenrotation.operator.rotation.Checkpoint;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * Every fault class through the simulators' fault injection (and the embedded API server's): the
 * operator retries transient faults with backoff, stalls with the right reason on faults only a
 * human can fix, and recovers fully when the fault clears — with no token lost and no orphan left.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.Shared
@TestWorlds.OperatorStartedByTest
@Order(2) // the longest class: started first, so the others fill the threads around it
class FaultInjectionIT {
  private static final String OWNER = "admin@example.com";
  private static TestWorld world;
  private static SecretScanner scanner;

  /**
   * Starts the scanner before the world starts (a BeforeAllCallback runs before the {@code
   * BeforeAll} method that the world is resolved for), so that the world's start-up and its Secrets
   * are scanned too.
   */
  @RegisterExtension
  static final BeforeAllCallback SCANNER = context -> scanner = new SecretScanner().start();

  private static final Set<String> knownSecrets = ConcurrentHashMap.newKeySet();

  /** A test may hook a checkpoint (e.g. to write Vault concurrently); reset after each test. */
  private static volatile Consumer<Checkpoint> hook = point -> {};

  private static int touches;

  @BeforeAll
  static void start(TestWorld world) {
    FaultInjectionIT.world = world;
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_CONNECT_TIMEOUT", "1s");
    env.put("HTTP_READ_TIMEOUT", "1s");
    world.startOperator(
        TestWorld.testOptions().withCheckpoints(point -> hook.accept(point)),
        OperatorConfig.fromEnvironment(env));
  }

  @AfterEach
  void clearFaults() {
    world.vault.faults().clear();
    world.dynatrace.faults().clear();
    world.kube.faults().clear();
    hook = point -> {};
    if (world.vault.sealed()) {
      world.vault.unseal();
    }
  }

  @AfterAll
  static void stop() {
    long injected =
        world.vault.journal().count(JournalEntry::injected)
            + world.dynatrace.journal().count(JournalEntry::injected)
            + world.vault.journal().count(e -> e.status() == 503 && !e.injected()) // sealed answers
            + world.kube.faults().injected();
    List<String> texts = new ArrayList<>();
    world
        .client
        .resources(TokenRotation.class)
        .inNamespace(TestWorld.NAMESPACE)
        .list()
        .getItems()
        .forEach(tr -> texts.add(Serialization.asYaml(tr)));
    world
        .client
        .v1()
        .events()
        .inNamespace(TestWorld.NAMESPACE)
        .list()
        .getItems()
        .forEach(e -> texts.add(e.getReason() + " " + e.getMessage()));
    List<String> leaks = scanner.leaks(texts, knownSecrets);
    scanner.stop();
    ReliabilityReport.add("faultsInjected", injected);
    ReliabilityReport.add("leakedSecrets", leaks.size());
    ReliabilityReport.write();
    assertThat(leaks).as("secrets in logs, events or statuses").isEmpty();
  }

  // ---------------------------------------------------------------- Vault

  @Test
  void vaultSealedIsRetriedAndRecoveredAfterUnseal() {
    Due due = due("vault-sealed");
    world.vault.seal();
    world.apply(due.resource());
    world.awaitCondition(due.name(), "Stalled", "False", Reasons.VAULT_SEALED);
    assertThat(world.condition(due.name(), "Ready").orElseThrow().getReason())
        .isEqualTo(Reasons.RETRY_SCHEDULED);
    assertThat(world.get(due.name()).getStatus().getFailedAttempts()).isPositive();
    world.vault.unseal();
    recovered(due);
  }

  @Test
  void vault500IsRetried() {
    Due due = due("vault-500");
    world.vault.faults().failNext(3, "*", "/v1/secret/.*", 500);
    world.apply(due.resource());
    recovered(due);
    assertThat(world.vault.journal().count(e -> e.injected() && e.status() == 500))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void vaultTimeoutIsRetried() {
    Due due = due("vault-timeout");
    world
        .vault
        .faults()
        .stallNext(2, "GET", "/v1/secret/data/" + due.path(), Duration.ofSeconds(2));
    world.apply(due.resource());
    world.awaitCondition(due.name(), "Stalled", "False", Reasons.VAULT_UNAVAILABLE);
    recovered(due);
  }

  @Test
  void vault403StallsUntilTheAccessIsFixed() {
    Due due = due("vault-403");
    world.vault.faults().failNext(-1, "*", "/v1/secret/data/" + due.path(), 403);
    world.apply(due.resource());
    world.awaitStalled(due.name(), Reasons.VAULT_PERMISSION_DENIED);
    world.vault.faults().clear();
    touch(
        due.name()); // a human fixed the policy and nudges the resource (or waits for the periodic
    // recheck)
    recovered(due);
  }

  @Test
  void casConflictFromAConcurrentWriterUndoesTheSuccessorAndRotatesFromTheNewValue() {
    Due due = due("vault-cas");
    IssuedToken human =
        world.dynatrace.createToken("human-wrote-this", List.of("ReadConfig"), OWNER, null);
    knownSecrets.add(human.token());
    Set<String> createdBeforeConflict = ConcurrentHashMap.newKeySet();
    hook =
        point -> {
          if (point == Checkpoint.AFTER_NEW_ID_PERSISTED
              && (TestWorld.NAMESPACE + "/" + due.name()).equals(MDC.get(MdcKeys.RESOURCE))
              && createdBeforeConflict.isEmpty()) {
            createdBeforeConflict.add(
                world.get(due.name()).getStatus().getPendingRotation() == null
                    ? "?"
                    : String.valueOf(
                        world.get(due.name()).getStatus().getPendingRotation().getNewTokenId()));
            world.vault.writeKv(
                "", "secret", due.path(), Map.of("token", human.token(), "keep", "me"));
          }
        };
    world.apply(due.resource());
    // The other writer's token is adopted, not rotated again at once: it is new (docs/rotation.md,
    // "Drift").
    world.awaitReady(due.name(), Reasons.ADOPTED);
    world.await(
        due.name(),
        "the other writer's token adopted",
        r -> human.id().equals(r.getStatus().getTokenId()));
    String abandoned = createdBeforeConflict.iterator().next();
    assertThat(world.dynatrace.token(abandoned))
        .as("the successor that lost the race is deleted")
        .isEmpty();
    world.awaitEvent(due.name(), Reasons.ROTATION_ABORTED);
    world.awaitEvent(due.name(), Reasons.VAULT_CHANGED_OUTSIDE);
    assertThat(world.dynatrace.token(human.id()))
        .as("what the other writer stored stays valid")
        .isPresent();
    assertThat(world.get(due.name()).getStatus().getPendingRotation()).isNull();
    assertThat(world.vault.readKv("", "secret", due.path()).orElseThrow())
        .containsEntry("keep", "me")
        .containsEntry("token", human.token());
  }

  // ---------------------------------------------------------------- Dynatrace

  @Test
  void dynatrace401Stalls() {
    stallsThenRecovers(
        "dt-401", "POST", "/api/v2/apiTokens/lookup", 401, Reasons.DYNATRACE_UNAUTHORIZED);
  }

  @Test
  void dynatrace403Stalls() {
    stallsThenRecovers(
        "dt-403", "POST", "/api/v2/apiTokens/lookup", 403, Reasons.DYNATRACE_FORBIDDEN);
  }

  @Test
  void dynatrace404OnLookupStallsAsTokenNotFound() {
    stallsThenRecovers("dt-404", "POST", "/api/v2/apiTokens/lookup", 404, Reasons.TOKEN_NOT_FOUND);
  }

  /**
   * Refused, so nothing was created: nothing is left pending, and Vault's token keeps Ready True.
   */
  @Test
  void dynatrace401DuringCreateStallsWithNothingPending() {
    stallsThenRecovers(
        "dt-401-create", "POST", "/api/v2/apiTokens", 401, Reasons.DYNATRACE_UNAUTHORIZED);
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens/lookup")).isPositive();
  }

  @Test
  void dynatrace429WithResetIsHonoured() {
    Due due = due("dt-429");
    long resetMicros = Instant.now().plusMillis(1500).toEpochMilli() * 1000;
    world
        .dynatrace
        .faults()
        .failNext(
            1,
            "POST",
            "/api/v2/apiTokens",
            429,
            null,
            Map.of(
                "X-RateLimit-Reset",
                String.valueOf(resetMicros),
                "X-RateLimit-Limit",
                "100",
                "X-RateLimit-Remaining",
                "0"));
    Instant applied = world.dynatraceClock.instant();
    world.apply(due.resource());
    recovered(due);
    List<JournalEntry> creates = createsSince(applied);
    JournalEntry limited =
        creates.stream().filter(e -> e.status() == 429).findFirst().orElseThrow();
    assertThat(
            creates.stream()
                .filter(
                    e ->
                        e.time().isAfter(limited.time())
                            && e.time().isBefore(Instant.ofEpochMilli(resetMicros / 1000))))
        .as("creates before the reset")
        .isEmpty();
  }

  /**
   * Token creates since {@code since} (the journal holds the whole class's calls: other tests' 429s
   * too).
   */
  private static List<JournalEntry> createsSince(Instant since) {
    return world.dynatrace.journal().entries().stream()
        .filter(
            e ->
                !e.time().isBefore(since)
                    && e.method().equals("POST")
                    && e.path().equals("/api/v2/apiTokens"))
        .toList();
  }

  /**
   * Dynatrace since API 1.210: a bare 429, no header. No wait is invented for the missing header
   * (it used to be 5 s): the next attempt comes after the backoff's first step (0.5 s here, less up
   * to 20 %, rounded up to the second).
   */
  @Test
  void dynatrace429WithoutHeadersIsRetriedAfterTheBackoffAlone() {
    Due due = due("dt-429-bare");
    world.dynatrace.faults().failNext(1, "POST", "/api/v2/apiTokens", 429);
    Instant applied = world.dynatraceClock.instant();
    world.apply(due.resource());
    recovered(due);
    List<JournalEntry> creates = createsSince(applied);
    JournalEntry limited =
        creates.stream().filter(e -> e.status() == 429).findFirst().orElseThrow();
    JournalEntry retried =
        creates.stream()
            .filter(e -> e.time().isAfter(limited.time()) && e.status() == 201)
            .findFirst()
            .orElseThrow();
    assertThat(Duration.between(limited.time(), retried.time()))
        .as("the backoff's step, no invented wait")
        .isBetween(Duration.ofMillis(350), Duration.ofSeconds(4));
  }

  @Test
  void dynatrace500IsRetried() {
    Due due = due("dt-500");
    world.dynatrace.faults().failNext(2, "POST", "/api/v2/apiTokens", 500);
    world.apply(due.resource());
    recovered(due);
  }

  @Test
  void dynatraceTimeoutIsRetried() {
    Due due = due("dt-timeout");
    world.dynatrace.faults().stallNext(1, "POST", "/api/v2/apiTokens", Duration.ofSeconds(2));
    world.apply(due.resource());
    recovered(due);
  }

  // ---------------------------------------------------------------- Kubernetes

  @Test
  void kubernetes409OnStatusWritesIsRetriedFromFreshState() {
    Due due = due("k8s-409");
    world.kube.faults().failNext(3, "PUT", ".*/tokenrotations/" + due.name() + "/status", 409);
    world.apply(due.resource());
    recovered(due);
  }

  // ---------------------------------------------------------------- helpers

  private void stallsThenRecovers(
      String name, String method, String path, int status, String reason) {
    Due due = due(name);
    world.dynatrace.faults().failNext(-1, method, path, status);
    world.apply(due.resource());
    TokenRotation stalled = world.awaitStalled(due.name(), reason);
    // Ready means "Vault holds a token the operator knows": False only when the stall came before
    // adoption.
    assertThat(world.condition(due.name(), "Ready").orElseThrow().getStatus())
        .isEqualTo(stalled.getStatus().getTokenId() == null ? "False" : "True");
    assertThat(stalled.getStatus().getPendingRotation())
        .as("a refused call leaves nothing pending")
        .isNull();
    assertThat(Conditions.isTrue(stalled.getStatus().getConditions(), Conditions.ROTATING))
        .isFalse();
    assertThat(TestWorld.idOf(world.vaultToken(due.path())))
        .as("Vault keeps the working token")
        .isEqualTo(due.oldId());
    assertThat(world.dynatrace.authenticates(world.vaultToken(due.path()))).isTrue();
    world.dynatrace.faults().clear();
    touch(due.name());
    recovered(due);
  }

  /** A due resource on its own secret (a two-hour-old token, interval 1h) with an extra field. */
  private record Due(String name, String path, String oldId, TokenRotation resource) {}

  private Due due(String name) {
    String path = "faults/" + name;
    world.dynatraceClock.advance(Duration.ofHours(-2));
    IssuedToken token =
        world.dynatrace.createToken(
            "fault-" + name, List.of("ReadConfig", "DataExport"), OWNER, null);
    world.dynatraceClock.advance(Duration.ofHours(2));
    knownSecrets.add(token.token());
    world.vault.writeKv("", "secret", path, Map.of("token", token.token(), "keep", "me"));
    TokenRotation tr = Resources.rotation(world, name, path, "1h");
    tr.getSpec().getOldToken().setGracePeriod("0s");
    return new Due(name, path, token.id(), tr);
  }

  private void touch(String name) {
    String value = String.valueOf(++touches);
    world.edit(
        name,
        tr -> {
          Map<String, String> labels =
              new HashMap<>(
                  tr.getMetadata().getLabels() == null ? Map.of() : tr.getMetadata().getLabels());
          labels.put("touched", value);
          tr.getMetadata().setLabels(labels);
          return tr;
        });
  }

  /**
   * Rotated, old token retired, the other field kept, failures cleared, nothing lost, no orphan of
   * this name.
   */
  private void recovered(Due due) {
    TokenRotation tr =
        world.await(
            due.name(),
            "rotated and retired",
            r ->
                r.getStatus() != null
                    && r.getStatus().getLastRotationTime() != null
                    && r.getStatus().getPendingRotation() == null
                    && (r.getStatus().getRetiredTokens() == null
                        || r.getStatus().getRetiredTokens().isEmpty())
                    && world
                        .condition(due.name(), "Ready")
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false));
    String token = world.vaultToken(due.path());
    knownSecrets.add(token);
    assertThat(world.dynatrace.authenticates(token)).as("Vault holds a working token").isTrue();
    assertThat(TestWorld.idOf(token))
        .isEqualTo(tr.getStatus().getTokenId())
        .isNotEqualTo(due.oldId());
    assertThat(world.dynatrace.token(due.oldId())).as("the old token is retired").isEmpty();
    assertThat(world.vault.readKv("", "secret", due.path()).orElseThrow())
        .containsEntry("keep", "me");
    assertThat(tr.getStatus().getFailedAttempts()).isNull();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        world.dynatrace.tokens().stream()
                            .filter(t -> t.name().equals("fault-" + due.name()) && t.enabled())
                            .map(t -> t.id())
                            .toList())
                    .as("tokens of this name")
                    .containsExactly(tr.getStatus().getTokenId()));
  }
}
