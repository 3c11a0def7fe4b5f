package io.tokenrotation.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.logging.MdcKeys;
import io.tokenrotation.operator.rotation.Checkpoint;
import io.tokenrotation.operator.testing.Workloads;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

/**
 * Crash at every step: for each {@link Checkpoint}, {@value #DEFAULT_SEEDS} seeded scenarios (KV
 * v1/v2, retire action, grace period, extra secret fields, shared token names, self-rotation, a
 * concurrent writer) rotate at once; each scenario's reconcile dies at that checkpoint (an Error,
 * so no code after it runs, like a killed process), the operator instance is stopped, a fresh
 * instance starts on the same API-server, Vault and Dynatrace state, and the invariants of
 * docs/rotation.md are checked. The first {@value #OUTSIDE_WRITE_SEEDS} seeds of every point have
 * someone else write the secret before the operator's Vault write, between it and the status write,
 * or after, on KV v2 and v1, replacing a seeded token or one the operator created itself: every
 * crash point x outside-write timing. A scenario is reproducible from (point, seed): {@code
 * -Dreliability.point=AFTER_TOKEN_CREATED -Dreliability.seed=17}; {@code -Preliability-long} runs
 * more seeds.
 *
 * <p>The crash points run concurrently ({@value #POINTS_AT_ONCE} at a time), each in a world of its
 * own (its API server, simulators and operator instances), and its invariants are checked over its
 * own scenarios. A point's state lives in the test instance, which JUnit makes anew for every
 * invocation ({@link Lifecycle#PER_METHOD}); only the log capture and the report's figures, both
 * thread-safe, are shared by the points.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
@TestInstance(Lifecycle.PER_METHOD) // one instance per crash point: its own world and state
@Execution(ExecutionMode.CONCURRENT) // the crash points run side by side, POINTS_AT_ONCE at a time
@TestMethodOrder(MethodOrderer.MethodName.class)
@Order(1) // the longest class: started first, so the others fill the threads around it
class CrashRecoveryIT {
  static final int DEFAULT_SEEDS = 50;

  /**
   * Seeds 0..11 of every point: 3 outside-write timings x KV v2/v1 x old token seeded/created by
   * the operator.
   */
  static final int OUTSIDE_WRITE_SEEDS = 12;

  /**
   * The rotate request that starts the second rotation of a scenario whose old token the operator
   * created.
   */
  private static final String SECOND_ROTATION = "second";

  private static final int SEEDS = Integer.getInteger("reliability.seeds", DEFAULT_SEEDS);
  private static final String ONLY_POINT = System.getProperty("reliability.point");
  private static final Integer ONLY_SEED = Integer.getInteger("reliability.seed");

  /**
   * Crash points running at once. Each keeps about a core busy (its operator, simulators and the
   * test's polls): more at once than the two cores of the CI machine can serve only stretch every
   * point's awaits towards their limits (seven points of 200 seeds at once took instance B's to its
   * 120 s) and slow down the classes running beside this one.
   */
  static final int POINTS_AT_ONCE = 3;

  // Shared by the crash points, which run concurrently: their turns, the JVM's log capture
  // (thread-safe: a concurrent queue of lines, scanned on a copy) and the report's figures (atomic
  // here, synchronized in ReliabilityReport).

  private static final Turns TURNS = new Turns(POINTS_AT_ONCE);
  private static SecretScanner scanner;

  /**
   * Starts the scanner before any world starts (a BeforeAllCallback runs before every invocation,
   * whose world is made when its test method is called), so that every point's start-up and Secrets
   * are scanned too.
   */
  @RegisterExtension
  static final BeforeAllCallback SCANNER = context -> scanner = new SecretScanner().start();

  /** Crash points that got as far as their invariants. */
  private static final AtomicInteger pointsRun = new AtomicInteger();

  /** Scenarios with a concurrent writer, over every point. */
  private static final AtomicLong outsideWriteCases = new AtomicLong();

  // One crash point's own (an instance per invocation): its world and what the test knows of it.

  private Turns.Turn turn;
  private TestWorld world;

  /**
   * Secret values of this point's world (seeded, created by the test, in Vault after recovery),
   * looked for in every log line captured so far and in this world's statuses and events.
   */
  private final Set<String> knownSecrets = ConcurrentHashMap.newKeySet();

  /**
   * Tokens the test created (seeds, the concurrent writers' tokens), added from operator threads
   * too.
   */
  private final Set<String> external = ConcurrentHashMap.newKeySet();

  /**
   * Tokens the concurrent writers stored: adopted, never the operator's to account for unless it
   * replaced them.
   */
  private final Set<String> humanTokens = ConcurrentHashMap.newKeySet();

  /** Whether this world has the Secret {@code dt-management} (KV v1 resources read it). */
  private boolean managementSecret;

  /**
   * A simulated process death at a checkpoint: an Error, so nothing after it runs in that
   * reconcile.
   */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
      super("simulated crash at " + where, null, false, false);
    }
  }

  /**
   * When someone else writes the secret, relative to the rotation's own writes: at the checkpoint
   * named, if the rotation gets there before it dies; otherwise while the operator is down.
   */
  enum OutsideWrite {
    NONE(null),
    BEFORE_THE_VAULT_WRITE(Checkpoint.AFTER_NEW_ID_PERSISTED),
    BETWEEN_VAULT_AND_STATUS_WRITE(Checkpoint.AFTER_VAULT_WRITTEN),
    AFTER_THE_STATUS_WRITE(Checkpoint.AFTER_ROTATION_PERSISTED);

    final Checkpoint at;

    OutsideWrite(Checkpoint at) {
      this.at = at;
    }
  }

  /**
   * What one seed sets up. {@code oldTokenFromOperator}: the secret starts without a token, the
   * operator creates one (bootstrap), and the crash hits the second rotation, requested once the
   * first token is there, so the token being replaced is one the operator created (not a seeded one
   * the checks would treat as external).
   */
  record Scenario(
      int seed,
      String name,
      int kvVersion,
      RetireAction action,
      String gracePeriod,
      Map<String, String> extraFields,
      String tokenName,
      boolean selfRotation,
      OutsideWrite outsideWrite,
      boolean oldTokenFromOperator) {

    static Scenario of(Checkpoint point, int seed) {
      Random r = new Random(seed * 1_000_003L + point.ordinal());
      int kv = r.nextInt(10) < 3 ? 1 : 2;
      RetireAction action = RetireAction.values()[r.nextInt(3)];
      String grace = r.nextBoolean() ? "0s" : "1s";
      Map<String, String> extra = new LinkedHashMap<>();
      for (int i = 0, n = r.nextInt(3); i < n; i++) {
        extra.put("field" + i, "value-" + r.nextInt(1000));
      }
      String name = "c" + point.ordinal() + "-s" + seed;
      String tokenName = r.nextInt(10) < 3 ? "shared-token-name" : "token-" + name;
      boolean self = r.nextInt(10) == 0;
      if (seed >= OUTSIDE_WRITE_SEEDS) {
        return new Scenario(
            seed, name, kv, action, grace, extra, tokenName, self, OutsideWrite.NONE, false);
      }
      OutsideWrite when = OutsideWrite.values()[1 + seed % 3];
      boolean fromOperator = seed >= OUTSIDE_WRITE_SEEDS / 2;
      if (fromOperator && extra.isEmpty()) {
        extra.put(
            "field0",
            "value-" + seed); // the secret exists from the start, only its token field is missing
      }
      return new Scenario(
          seed,
          name,
          (seed / 3) % 2 == 0 ? 2 : 1,
          action,
          grace,
          extra,
          tokenName,
          false,
          when,
          fromOperator);
    }

    boolean concurrentWriter() {
      return outsideWrite != OutsideWrite.NONE;
    }

    String mount() {
      return kvVersion == 1 ? "kv" : "secret";
    }

    boolean restartsWorkloads() {
      return seed % 5 == 2;
    }

    String path() {
      return "crash/" + name;
    }
  }

  static Stream<Checkpoint> points() {
    return Stream.of(Checkpoint.values())
        .filter(p -> ONLY_POINT == null || p.name().equals(ONLY_POINT));
  }

  /**
   * Takes this point's world: a KV v1 mount beside the seeded KV v2 one; the seeded secrets are
   * known secrets and the seeded tokens are the test's, not the operator's.
   */
  private void enter(TestWorld world) {
    this.world = world;
    world.vault.mountKv("", "kv", 1);
    world.seeded.forEach(
        (path, id) -> knownSecrets.add(world.vaultToken(path.substring("secret/".length()))));
    external.addAll(world.tokensBefore());
  }

  /** Before the world is made (the test method's parameter): at most so many exist at once. */
  @BeforeEach
  void waitForTurn() throws InterruptedException {
    turn = TURNS.take();
  }

  @AfterEach
  void endTurn() {
    if (turn != null) {
      turn.close();
    }
  }

  @AfterAll
  static void stop() {
    scanner.stop();
    ReliabilityReport.set("crashPoints", pointsRun.get());
    ReliabilityReport.set("seedsPerPoint", SEEDS);
    ReliabilityReport.set("outsideWriteCases", outsideWriteCases.get());
    ReliabilityReport.write();
  }

  @ParameterizedTest(name = "crash {0}")
  @MethodSource("points")
  void recoversFromACrashAt(Checkpoint point, TestWorld world) {
    enter(world);
    List<Scenario> scenarios = new ArrayList<>();
    for (int seed = 0; seed < SEEDS; seed++) {
      if (ONLY_SEED == null || ONLY_SEED == seed) {
        scenarios.add(Scenario.of(point, seed));
      }
    }
    outsideWriteCases.addAndGet(scenarios.stream().filter(Scenario::concurrentWriter).count());
    Map<String, Scenario> byResource = new LinkedHashMap<>();
    scenarios.forEach(s -> byResource.put(key(s), s));
    ReplacedTokenLedger ledger =
        new ReplacedTokenLedger(
            world,
            resource ->
                Optional.ofNullable(byResource.get(resource))
                    .map(s -> new String[] {s.mount(), s.path()}));
    for (Scenario s : scenarios) {
      if (!s.oldTokenFromOperator()) {
        external.add(seedSecret(s));
      } else {
        world.vault.writeKv("", s.mount(), s.path(), s.extraFields());
      }
    }

    // Instance A: every armed scenario's reconcile dies the first time it reaches the checkpoint;
    // an outside write
    // due at an earlier checkpoint happens there, on the reconciling thread, before the rotation
    // goes on.
    Set<String> armed = ConcurrentHashMap.newKeySet();
    Set<String> crashed = ConcurrentHashMap.newKeySet();
    Set<String> writtenOutside = ConcurrentHashMap.newKeySet();
    scenarios.stream().filter(s -> !s.oldTokenFromOperator()).forEach(s -> armed.add(key(s)));
    world.startOperator(
        OperatorOptions.defaults()
            .withBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
            .withCheckpoints(
                reached -> {
                  String resource = MDC.get(MdcKeys.RESOURCE);
                  Scenario s = byResource.get(resource);
                  if (s != null
                      && armed.contains(resource)
                      && reached == s.outsideWrite().at
                      && writtenOutside.add(resource)) {
                    writeOutside(s);
                  }
                  ledger.reached(resource, reached);
                  if (reached == point
                      && s != null
                      && armed.contains(resource)
                      && crashed.add(resource)) {
                    throw new SimulatedCrash(point + " in " + resource);
                  }
                }));
    VaultObserver observer = new VaultObserver(world, scenarios);
    observer.start();
    scenarios.forEach(s -> world.apply(resource(s)));
    // An outside write before the Vault write makes the rotation give up (check-and-set) before
    // some checkpoints:
    // such a scenario settles instead of crashing.
    try {
      Awaitility.await("every scenario crashed at " + point + " or settled")
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  armSecondRotations(scenarios, armed)
                      && scenarios.stream()
                          .allMatch(
                              s ->
                                  crashed.contains(key(s))
                                      || armed.contains(key(s))
                                          && (converged(s) || finishedWithoutComingBack(s))));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "neither crashed at "
              + point
              + " nor settled: "
              + describe(
                  scenarios.stream()
                      .filter(s -> !crashed.contains(key(s)))
                      .filter(
                          s ->
                              !(armed.contains(key(s))
                                  && (converged(s) || finishedWithoutComingBack(s))))
                      .toList()),
          e);
    }
    world.stopOperator();

    // While the operator is down, the writers that did not get their turn yet write (a human,
    // another tool).
    scenarios.stream()
        .filter(Scenario::concurrentWriter)
        .filter(s -> writtenOutside.add(key(s)))
        .forEach(this::writeOutside);

    // Instance B: a fresh operator on the same state recovers. The drift check lets it see a write
    // that came after
    // its last Vault read.
    world.startOperator(
        OperatorOptions.defaults()
            .withBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
            .withCheckpoints(reached -> ledger.reached(MDC.get(MdcKeys.RESOURCE), reached)),
        withDriftCheck(Duration.ofSeconds(1)));
    Awaitility.await("all scenarios converge after " + point)
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scenarios.stream().allMatch(this::converged));
    world.stopOperator();
    observer.stop();

    // Invariants, over this point's scenarios in its world.
    for (Scenario s : scenarios) {
      world
          .vault
          .readKv("", s.mount(), s.path())
          .map(m -> m.get("token"))
          .ifPresent(knownSecrets::add);
    }
    List<String> lost = new ArrayList<>();
    List<String> consumersBehind = new ArrayList<>();
    List<String> changedFields = new ArrayList<>();
    Set<String> inVault = new HashSet<>();
    Set<String> referenced = new HashSet<>();
    Set<String> scheduled = new HashSet<>();
    for (Scenario s : scenarios) {
      Map<String, String> data = world.vault.readKv("", s.mount(), s.path()).orElse(Map.of());
      String token = data.get("token");
      if (token == null || !world.dynatrace.authenticates(token)) {
        lost.add(s.name());
      } else {
        inVault.add(TestWorld.idOf(token));
        if (!token.equals(inTargetSecret(s))) {
          consumersBehind.add(s.name());
        }
      }
      Map<String, String> others = new LinkedHashMap<>(data);
      others.remove("token");
      if (!others.equals(s.extraFields())) { // the fields it was seeded with
        changedFields.add(s.name());
      }
      TokenRotationStatus st = world.get(s.name()).getStatus();
      referenced.add(st.getTokenId());
      Optional.ofNullable(st.getRetiredTokens()).orElse(List.of()).stream()
          .map(RetiredToken::getId)
          .forEach(scheduled::add);
    }
    List<String> orphans = new ArrayList<>();
    Set<String> live = new HashSet<>();
    for (TokenView token : world.dynatrace.tokens()) {
      if (token.enabled()) {
        live.add(token.id());
      }
      if (!external.contains(token.id())
          && token.enabled()
          && !inVault.contains(token.id())
          && !referenced.contains(token.id())) {
        orphans.add(token.id() + " (" + token.name() + ")");
      }
    }
    // Invariant 4 (docs/rotation.md): every token the operator created or replaced is in Vault,
    // scheduled in
    // retiredTokens, or deleted/disabled. Created = every token the test did not create; replaced =
    // what its own
    // Vault writes overwrote (seeded tokens included).
    Set<String> createdOrReplaced = new HashSet<>(ledger.replaced());
    world.dynatrace.tokens().stream()
        .map(TokenView::id)
        .filter(id -> !external.contains(id))
        .forEach(createdOrReplaced::add);
    List<String> unaccounted =
        createdOrReplaced.stream()
            .filter(id -> live.contains(id) && !inVault.contains(id) && !scheduled.contains(id))
            .sorted()
            .toList();
    List<String> leaks = scanner.leaks(statusesAndEvents(), Set.copyOf(knownSecrets));

    pointsRun.incrementAndGet();
    ReliabilityReport.add("crashRuns", scenarios.size());
    ReliabilityReport.add("lostTokens", lost.size() + observer.violations().size());
    ReliabilityReport.add("orphanTokens", orphans.size());
    ReliabilityReport.add("replacedTokensUnaccounted", unaccounted.size());
    ReliabilityReport.add("leakedSecrets", leaks.size());
    ReliabilityReport.add("consumersBehind", consumersBehind.size());
    ReliabilityReport.write();

    assertThat(lost)
        .as("resources whose Vault secret holds no valid token after recovery")
        .isEmpty();
    assertThat(observer.violations())
        .as("moments Vault held a retired (deleted/disabled) token")
        .isEmpty();
    assertThat(observer.vaultWritesChecked())
        .as("the observer saw the operator's Vault writes (else it could find nothing)")
        .isPositive();
    if (scenarios.size() > 1) { // a single reproduced seed may end within its grace period
      assertThat(observer.retirementsChecked())
          .as("the observer saw the retirements (else it could find nothing)")
          .isPositive();
    }
    assertThat(orphans)
        .as("tokens the operator created that are neither in Vault, in status nor retired")
        .isEmpty();
    assertThat(unaccounted)
        .as(
            "tokens the operator created or replaced that are valid, but neither in Vault nor"
                + " scheduled in retiredTokens")
        .isEmpty();
    assertThat(consumersBehind)
        .as("resources whose secret target does not hold the token Vault holds")
        .isEmpty();
    assertThat(changedFields).as("secrets whose other fields changed").isEmpty();
    assertThat(leaks).as("secrets in logs, events or statuses").isEmpty();
  }

  /**
   * Recovered: no rotation pending, nothing left to retire, Ready, and the token is one the
   * operator rotated in, or the one a concurrent writer stored (adopted, not rotated again at once:
   * docs/rotation.md, "Drift").
   */
  /**
   * The rotation is done and nothing is left to retire, so no later checkpoint comes; status may
   * still name the successor while Vault holds a token written after it (an outside write between
   * the operator's Vault write and its status write), which only the drift check of instance B
   * sees. With grace period 0 the old token is retired inside the outcome write, so such a scenario
   * never reaches the retirement's own checkpoints.
   */
  private boolean finishedWithoutComingBack(Scenario s) {
    TokenRotation tr = world.get(s.name());
    TokenRotationStatus st = tr == null ? null : tr.getStatus();
    return st != null
        && st.getPendingRotation() == null
        && (st.getRetiredTokens() == null || st.getRetiredTokens().isEmpty())
        && (s.oldTokenFromOperator()
            ? SECOND_ROTATION.equals(st.getLastHandledRotateRequest())
            : st.getLastRotationTime() != null);
  }

  /** For a failure message: each scenario and what its status says (public token ids only). */
  private String describe(List<Scenario> stuck) {
    StringBuilder text = new StringBuilder();
    for (Scenario s : stuck) {
      TokenRotation tr = world.get(s.name());
      TokenRotationStatus st = tr == null ? null : tr.getStatus();
      text.append("\n  ").append(s);
      if (st != null) {
        text.append("\n    token ")
            .append(st.getTokenId())
            .append(", pending ")
            .append(st.getPendingRotation() != null)
            .append(", retired ")
            .append(
                st.getRetiredTokens() == null
                    ? "[]"
                    : st.getRetiredTokens().stream()
                        .map(r -> r.getId() + "@" + r.getDueAt())
                        .toList())
            .append(", handled ")
            .append(st.getLastHandledRotateRequest())
            .append(", state ")
            .append(st.getState())
            .append(", failure ")
            .append(st.getLastFailure() == null ? null : st.getLastFailure().getReason());
      }
    }
    return text.toString();
  }

  private static String targetSecret(Scenario s) {
    return s.name() + "-token";
  }

  /** The token the scenario's secret target holds, or null. */
  private String inTargetSecret(Scenario s) {
    Secret secret =
        world.client.secrets().inNamespace(TestWorld.NAMESPACE).withName(targetSecret(s)).get();
    if (secret == null || secret.getData() == null || secret.getData().get("token") == null) {
      return null;
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  private boolean converged(Scenario s) {
    TokenRotation tr = world.get(s.name());
    if (tr == null || tr.getStatus() == null) {
      return false;
    }
    TokenRotationStatus st = tr.getStatus();
    boolean retiredAll = st.getRetiredTokens() == null || st.getRetiredTokens().isEmpty();
    boolean rotated =
        s.oldTokenFromOperator()
            ? SECOND_ROTATION.equals(st.getLastHandledRotateRequest())
            : st.getLastRotationTime() != null;
    boolean rotatedOrAdoptedTheWritersToken =
        rotated || s.concurrentWriter() && humanTokens.contains(st.getTokenId());
    String inVault =
        world.vault.readKv("", s.mount(), s.path()).map(m -> m.get("token")).orElse(null);
    boolean statusNamesVaultsToken =
        inVault != null && TestWorld.idOf(inVault).equals(st.getTokenId());
    return st.getPendingRotation() == null
        && retiredAll
        && rotatedOrAdoptedTheWritersToken
        && statusNamesVaultsToken
        && inVault.equals(inTargetSecret(s))
        && st.getRolloutRestartPendingSince() == null
        && world.condition(s.name(), "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * Scenarios whose old token the operator creates: once that first token is in place, arm the
   * crash and request the second rotation (the one that is interrupted). Returns true, so it can
   * run inside an await condition.
   */
  private boolean armSecondRotations(List<Scenario> scenarios, Set<String> armed) {
    for (Scenario s : scenarios) {
      if (!s.oldTokenFromOperator() || armed.contains(key(s))) {
        continue;
      }
      TokenRotation tr = world.get(s.name());
      TokenRotationStatus st = tr == null ? null : tr.getStatus();
      if (st != null && st.getTokenId() != null && st.getPendingRotation() == null) {
        armed.add(key(s));
        world.annotate(s.name(), TokenRotation.ROTATE_REQUESTED_AT, SECOND_ROTATION);
      }
    }
    return true;
  }

  /**
   * Someone else stores a token of their own in the scenario's secret, keeping its other fields.
   */
  private void writeOutside(Scenario s) {
    IssuedToken human =
        world.dynatrace.createToken(
            "human-" + s.name(), List.of("ReadConfig"), "admin@example.com", null);
    external.add(human.id());
    humanTokens.add(human.id());
    knownSecrets.add(human.token());
    Map<String, String> data =
        new LinkedHashMap<>(world.vault.readKv("", s.mount(), s.path()).orElse(Map.of()));
    data.put("token", human.token());
    world.vault.writeKv("", s.mount(), s.path(), data);
  }

  /**
   * The default configuration with the drift check on (below the 1m an operator's environment may
   * set).
   */
  private static OperatorConfig withDriftCheck(Duration interval) {
    return OperatorConfig.defaults().withVaultCheckInterval(interval);
  }

  private static String key(Scenario s) {
    return TestWorld.NAMESPACE + "/" + s.name();
  }

  /** Creates the scenario's token (2 hours old, so due) and secret; returns the token id. */
  private String seedSecret(Scenario s) {
    world.dynatraceClock.advance(Duration.ofHours(-2));
    List<String> scopes =
        s.selfRotation() ? List.of("apiTokens.read", "apiTokens.write") : List.of("ReadConfig");
    IssuedToken token =
        world.dynatrace.createToken(s.tokenName(), scopes, "admin@example.com", null);
    world.dynatraceClock.advance(Duration.ofHours(2));
    knownSecrets.add(token.token());
    Map<String, String> data = new LinkedHashMap<>(s.extraFields());
    data.put("token", token.token());
    world.vault.writeKv("", s.mount(), s.path(), data);
    return token.id();
  }

  private TokenRotation resource(Scenario s) {
    TokenRotation tr = Resources.rotation(world, s.name(), s.path(), "1h");
    tr.setMetadata(new ObjectMetaBuilder().withName(s.name()).build());
    tr.getSpec().getVault().setMount(s.mount());
    tr.getSpec().getOldToken().setAction(s.action());
    tr.getSpec().getOldToken().setGracePeriod(s.gracePeriod());
    tr.getSpec().getOldToken().setDeleteAfter("0s");
    if (s.oldTokenFromOperator()) {
      NewTokenSpec first =
          new NewTokenSpec(); // the secret has no token yet: the operator creates the first one
      first.setName(s.tokenName());
      first.setScopes(List.of("ReadConfig"));
      tr.getSpec().setNewToken(first);
    }
    // every scenario keeps a Secret current (written inline at step 7, or by SYNC_TARGETS after a
    // recovery); every fifth restarts its workloads too, which holds the retirement back
    tr.getSpec().setSecretTargets(List.of(Workloads.secretTarget(targetSecret(s), "token")));
    if (s.restartsWorkloads()) {
      Workloads.createOptedIn(world.client, TestWorld.NAMESPACE, s.name());
      tr.getSpec().setRolloutRestartTargets(Workloads.everyKind(s.name()));
      tr.getSpec().setRolloutRestartDebounce("0s");
    }
    if (s.selfRotation()) {
      tr.getSpec().getDynatrace().getManagementToken().getVault().setPath(s.path());
    } else if (s.kvVersion() == 1) {
      // the management token lives in the KV v2 mount; a v1 resource reads it from its own mount's
      // sibling path
      tr.getSpec().getDynatrace().getManagementToken().setVault(null);
      tr.getSpec()
          .getDynatrace()
          .getManagementToken()
          .setSecretRef(Resources.ref("dt-management", "token"));
      ensureManagementSecret();
    }
    return tr;
  }

  private void ensureManagementSecret() {
    if (!managementSecret) {
      managementSecret = true;
      world.secret("dt-management", Map.of("token", world.vaultToken("dynatrace/master")));
    }
  }

  private List<String> statusesAndEvents() {
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
    return texts;
  }
}
