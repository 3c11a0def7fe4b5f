package io.tokenrotation.operator.dynatrace;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.dynatrace.TokenView;
import io.tokenrotation.sim.http.FaultRule;
import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.http.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OkHttpDynatraceClient} over real HTTP against the Dynatrace simulator: every operation and
 * error class.
 */
class OkHttpDynatraceClientTest {
  private static final String OWNER = "rotator@example.com";
  private static final String TOKENS = "/api/v2/apiTokens";

  /** Token-shaped, but unknown to the simulator. */
  private static final String UNKNOWN_TOKEN = "dt0c01." + "A".repeat(24) + "." + "B".repeat(64);

  private final SettableClock clock = new SettableClock();
  private final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final UpstreamCallListener listener =
      (service, operation, outcome) -> outcomes.add(service + " " + operation + " " + outcome);
  private DynatraceSimulator sim;
  private HttpClients http;
  private String managementToken;
  private String managementId;
  private DynatraceClient client;

  @BeforeEach
  void start() {
    sim = DynatraceSimulator.start(0, clock);
    http = new HttpClients(Duration.ofSeconds(2), Duration.ofSeconds(10));
    var management =
        sim.createToken("management", List.of("apiTokens.read", "apiTokens.write"), OWNER, null);
    managementToken = management.token();
    managementId = management.id();
    client = client(managementToken);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private DynatraceClient client(String token) {
    return new OkHttpDynatraceClient(
        http.shared(),
        sim.baseUrl() + "/",
        SecretValue.of(token),
        EnvironmentLimits.NONE,
        listener);
  }

  private String seed(String name, List<String> scopes) {
    return sim.createToken(name, scopes, OWNER, null).token();
  }

  // ---------------------------------------------------------------- operations

  @Test
  void lookupReturnsTheMetadataOfTheGivenSecret() {
    Instant expiry = clock.instant().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MILLIS);
    var seeded = sim.createToken("ingest", List.of("metrics.ingest", "logs.ingest"), OWNER, expiry);

    ApiToken token = client.lookup(SecretValue.of(seeded.token()));

    assertThat(token.id()).isEqualTo(seeded.id());
    assertThat(token.name()).isEqualTo("ingest");
    assertThat(token.enabled()).isTrue();
    assertThat(token.owner()).isEqualTo(OWNER);
    assertThat(token.scopes()).containsExactlyInAnyOrder("metrics.ingest", "logs.ingest");
    assertThat(token.expirationDate()).isEqualTo(expiry);
    assertThat(token.creationDate()).isNotNull();
    assertThat(token.personalAccessToken()).isFalse();
    assertThat(sim.journal().count("POST", TOKENS + "/lookup")).isEqualTo(1);
    assertThat(outcomes).containsExactly("dynatrace lookup 200");
  }

  @Test
  void lookupOfAnUnknownTokenIsNotFoundWithoutEchoingIt() {
    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class, () -> client.lookup(SecretValue.of(UNKNOWN_TOKEN)));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.NOT_FOUND);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.transientFailure()).isFalse();
    assertNoSecrets(e, UNKNOWN_TOKEN, managementToken);
  }

  @Test
  void createWithExpirationReturnsTheSecretOnceAsSecretValue() {
    Instant expiry = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);

    CreatedToken created =
        client.create("rotated-1", List.of("metrics.ingest", "logs.ingest"), expiry);

    assertThat(created.token().toString()).isEqualTo("***");
    assertThat(created.toString()).doesNotContain(created.token().reveal());
    assertThat(created.token().reveal()).startsWith(created.id() + ".").hasSize(96);
    assertThat(created.expirationDate()).isEqualTo(expiry);
    TokenView stored = sim.token(created.id()).orElseThrow();
    assertThat(stored.name()).isEqualTo("rotated-1");
    assertThat(stored.scopes()).containsExactlyInAnyOrder("metrics.ingest", "logs.ingest");
    assertThat(stored.expirationDate()).isEqualTo(expiry);
    assertThat(stored.owner()).isEqualTo(OWNER);
    assertThat(sim.authenticates(created.token().reveal())).isTrue();
    assertThat(sim.journal().entries())
        .extracting(JournalEntry::method, JournalEntry::path, JournalEntry::status)
        .containsExactly(Tuple.tuple("POST", TOKENS, 201));
  }

  @Test
  void createWithoutExpirationNeverExpires() {
    CreatedToken created = client.create("forever", List.of("metrics.read"), null);

    assertThat(created.expirationDate()).isNull();
    assertThat(sim.token(created.id()).orElseThrow().expirationDate()).isNull();
    assertThat(client.lookup(created.token()).id()).isEqualTo(created.id());
  }

  @Test
  void getReturnsTheTokenOrEmptyOn404() {
    var seeded = sim.createToken("some", List.of("metrics.read"), OWNER, null);

    Optional<ApiToken> found = client.get(seeded.id());
    Optional<ApiToken> missing = client.get("dt0c01." + "Z".repeat(24));

    assertThat(found)
        .get()
        .extracting(ApiToken::id, ApiToken::name)
        .containsExactly(seeded.id(), "some");
    assertThat(found.get().scopes()).containsExactly("metrics.read");
    assertThat(missing).isEmpty();
    assertThat(outcomes).containsExactly("dynatrace get 200", "dynatrace get 404");
  }

  @Test
  void listWithSelectorCarriesScopesAndExpiry() {
    Instant expiry = clock.instant().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MILLIS);
    var mine = sim.createToken("mine", List.of("metrics.ingest"), "jane@example.com", expiry);
    sim.createToken("other", List.of("metrics.ingest"), "joe@example.com", null);

    List<ApiToken> tokens = client.list("owner(\"jane@example.com\")");

    assertThat(tokens)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo(mine.id());
              assertThat(t.scopes()).containsExactly("metrics.ingest");
              assertThat(t.expirationDate()).isEqualTo(expiry);
              assertThat(t.owner()).isEqualTo("jane@example.com");
            });
    assertThat(client.list(null)).hasSize(3);
    assertThat(client.list("  ")).hasSize(3);
  }

  @Test
  void listFollowsNextPageKeyOverMoreThanOnePage() {
    for (int i = 0; i < 1_100; i++) {
      sim.createToken("bulk-" + i, List.of("metrics.read"), "bulk@example.com", null);
    }

    List<ApiToken> all = client.list(null);
    List<ApiToken> bulk = client.list("owner(\"bulk@example.com\")");

    assertThat(all)
        .hasSize(1_101)
        .extracting(ApiToken::id)
        .doesNotHaveDuplicates()
        .contains(managementId);
    assertThat(bulk)
        .hasSize(1_100)
        .allSatisfy(t -> assertThat(t.owner()).isEqualTo("bulk@example.com"));
    List<JournalEntry> lists =
        sim.journal().entries().stream().filter(e -> e.matches("GET", TOKENS)).toList();
    assertThat(lists).hasSize(4).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
    assertThat(lists.get(0).query()).contains("pageSize=1000").doesNotContain("nextPageKey");
    assertThat(lists.get(1).query()).startsWith("nextPageKey=").doesNotContain("pageSize");
    assertThat(lists.get(2).query()).contains("apiTokenSelector");
    assertThat(lists.get(3).query()).startsWith("nextPageKey=");
  }

  @Test
  void setEnabledTogglesAndIsFalseOn404() {
    var seeded = sim.createToken("toggle", List.of("metrics.read"), OWNER, null);

    assertThat(client.setEnabled(seeded.id(), false)).isTrue();
    assertThat(sim.token(seeded.id()).orElseThrow().enabled()).isFalse();
    assertThat(sim.authenticates(seeded.token())).isFalse();
    assertThat(client.setEnabled(seeded.id(), true)).isTrue();
    assertThat(sim.token(seeded.id()).orElseThrow().enabled()).isTrue();
    assertThat(client.setEnabled("dt0c01." + "Q".repeat(24), false)).isFalse();
    assertThat(outcomes)
        .containsExactly("dynatrace disable 204", "dynatrace enable 204", "dynatrace disable 404");
  }

  @Test
  void deleteRemovesAndIsFalseOn404() {
    var seeded = sim.createToken("doomed", List.of("metrics.read"), OWNER, null);

    assertThat(client.delete(seeded.id())).isTrue();
    assertThat(sim.token(seeded.id())).isEmpty();
    assertThat(client.delete(seeded.id())).isFalse();
    assertThat(client.get(seeded.id())).isEmpty();
  }

  // ---------------------------------------------------------------- errors

  @Test
  void unknownScopeOnCreateIsBadRequest() {
    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class, () -> client.create("bad", List.of("no.such.scope"), null));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage()).startsWith("Dynatrace create: HTTP 400");
    assertThat(sim.tokens()).hasSize(1);
    assertNoSecrets(e, managementToken);
  }

  @Test
  void badManagementTokenIsUnauthorized() {
    DynatraceClient bad = client(UNKNOWN_TOKEN);
    String looked = seed("victim", List.of("metrics.read"));

    for (Runnable call :
        List.<Runnable>of(
            () -> bad.list(null),
            () -> bad.get(managementId),
            () -> bad.lookup(SecretValue.of(looked)),
            () -> bad.delete(managementId),
            () -> bad.setEnabled(managementId, false),
            () -> bad.create("x", List.of("metrics.read"), null))) {
      DynatraceException e = catchThrowableOfType(DynatraceException.class, call::run);
      assertThat(e.kind()).isEqualTo(DynatraceException.Kind.UNAUTHORIZED);
      assertThat(e.status()).isEqualTo(401);
      assertNoSecrets(e, UNKNOWN_TOKEN, looked, managementToken);
    }
  }

  @Test
  void managementTokenWithoutWriteScopeIsForbidden() {
    String readOnly = seed("read-only", List.of("apiTokens.read"));
    DynatraceClient weak = client(readOnly);

    assertThat(weak.list(null)).hasSize(2);
    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class, () -> weak.create("x", List.of("metrics.read"), null));
    DynatraceException del =
        catchThrowableOfType(DynatraceException.class, () -> weak.delete(managementId));
    DynatraceException put =
        catchThrowableOfType(DynatraceException.class, () -> weak.setEnabled(managementId, false));

    for (DynatraceException x : List.of(e, del, put)) {
      assertThat(x.kind()).isEqualTo(DynatraceException.Kind.FORBIDDEN);
      assertThat(x.status()).isEqualTo(403);
      assertThat(x.transientFailure()).isFalse();
      assertNoSecrets(x, readOnly, managementToken);
    }
    assertThat(e.getMessage()).contains("apiTokens.write");
    assertThat(sim.token(managementId).orElseThrow().enabled()).isTrue();
  }

  @Test
  void serverRateLimitIsRateLimitedWithAClampedRetryAfter() {
    clock.fix(Instant.now()); // one rate-limit window for the whole test
    sim.throttling(Throttling.legacyPerMinute(2));
    client.list(null);
    client.get(managementId);

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> client.get(managementId));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.transientFailure()).isTrue();
    assertThat(e.retryAfter())
        .get()
        .satisfies(
            wait -> assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    assertNoSecrets(e, managementToken);
  }

  /**
   * Issue 12 as the simulator reproduces it: an endpoint that answers a lookup with 200 {}, or a
   * login page.
   */
  @Test
  void aSimulatedEndpointAnswering200WithoutATokenIsAMalformedAnswer() {
    String secret = seed("app", List.of("metrics.read"));
    sim.faults().answerNext(1, "POST", TOKENS + "/lookup", 200, "application/json", "{}");
    sim.faults()
        .answerNext(1, "POST", TOKENS + "/lookup", 200, "text/html", "<html>Sign in</html>");

    DynatraceException empty =
        catchThrowableOfType(DynatraceException.class, () -> client.lookup(SecretValue.of(secret)));
    DynatraceException page =
        catchThrowableOfType(DynatraceException.class, () -> client.lookup(SecretValue.of(secret)));

    assertThat(empty.kind()).isEqualTo(DynatraceException.Kind.MALFORMED_RESPONSE);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.getMessage())
        .isEqualTo("Dynatrace lookup: HTTP 200 answer does not match the API: id is missing");
    assertThat(page.kind()).isEqualTo(DynatraceException.Kind.MALFORMED_RESPONSE);
    assertThat(page.getMessage()).endsWith("the answer is not JSON");
    assertNoSecrets(empty, managementToken, secret);
    assertNoSecrets(page, managementToken, secret);
    assertThat(client.lookup(SecretValue.of(secret)).name()).isEqualTo("app");
    assertThat(sim.journal().count("POST", TOKENS + "/lookup")).isEqualTo(3);
  }

  @Test
  void injectedServerErrorsAreServerErrors() {
    sim.faults().failNext(1, "GET", TOKENS + "/.*", 500);
    sim.faults().failNext(1, "POST", TOKENS, 503, "", Map.of("Retry-After", "7"));
    sim.faults().failNext(1, "DELETE", TOKENS + "/.*", 502);

    DynatraceException get =
        catchThrowableOfType(DynatraceException.class, () -> client.get(managementId));
    DynatraceException create =
        catchThrowableOfType(
            DynatraceException.class, () -> client.create("x", List.of("metrics.read"), null));
    DynatraceException delete =
        catchThrowableOfType(DynatraceException.class, () -> client.delete(managementId));

    assertThat(get.kind()).isEqualTo(DynatraceException.Kind.SERVER_ERROR);
    assertThat(get.status()).isEqualTo(500);
    assertThat(get.retryAfter()).isEmpty();
    assertThat(create.kind()).isEqualTo(DynatraceException.Kind.SERVER_ERROR);
    assertThat(create.status()).isEqualTo(503);
    assertThat(create.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(delete.kind()).isEqualTo(DynatraceException.Kind.SERVER_ERROR);
    assertThat(delete.status()).isEqualTo(502);
    for (DynatraceException x : List.of(get, create, delete)) {
      assertThat(x.transientFailure()).isTrue();
      assertNoSecrets(x, managementToken);
    }
    assertThat(sim.tokens()).hasSize(1);
    assertThat(client.get(managementId)).isPresent();
  }

  @Test
  void aStalledAnswerIsATimeout() {
    HttpClients impatient = new HttpClients(Duration.ofMillis(500), Duration.ofMillis(300));
    DynatraceClient slow =
        new OkHttpDynatraceClient(
            impatient.shared(),
            sim.baseUrl(),
            SecretValue.of(managementToken),
            EnvironmentLimits.NONE,
            listener);
    String looked = seed("looked", List.of("metrics.read"));
    sim.faults().stallNext(1, "POST", TOKENS + "/lookup", Duration.ofSeconds(2));

    long started = System.nanoTime();
    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> slow.lookup(SecretValue.of(looked)));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.TIMEOUT);
    assertThat(e.status()).isZero();
    assertThat(e.transientFailure()).isTrue();
    assertThat(outcomes).contains("dynatrace lookup timeout");
    assertNoSecrets(e, looked, managementToken);
  }

  @Test
  void aDroppedConnectionIsIo() {
    sim.faults().dropNext(1, "GET", TOKENS + "/.*");

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> client.get(managementId));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.IO);
    assertThat(e.status()).isZero();
    assertThat(e.transientFailure()).isTrue();
    assertNoSecrets(e, managementToken);
  }

  @Test
  void clientSideLimiterRefusesWithoutCallingAndSaysHowLongToWait() {
    SettableClock limiterClock = new SettableClock();
    limiterClock.fix(Instant.parse("2030-01-01T00:00:00Z"));
    DynatraceClient limited =
        new OkHttpDynatraceClient(
            http.shared(),
            sim.baseUrl(),
            SecretValue.of(managementToken),
            // 12/min: a burst of 2 (ten seconds' worth)
            new EnvironmentLimits(
                InFlightLimit.UNLIMITED, new DynatraceRateLimiter(12, limiterClock)),
            listener);
    limited.get(managementId);
    limited.list(null);

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> limited.get(managementId));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(e.status()).isZero();
    assertThat(e.transientFailure()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
    assertThat(sim.journal().size()).isEqualTo(2);
    assertThat(outcomes).endsWith("dynatrace get throttled");
    assertNoSecrets(e, managementToken);

    limiterClock.advance(Duration.ofSeconds(5));
    assertThat(limited.get(managementId)).isPresent();
    assertThat(sim.journal().size()).isEqualTo(3);
  }

  /**
   * API 1.330 retired analyzers.*: cloning an old token's scopes is refused, and the refusal names
   * the scope.
   */
  @Test
  void aCreateRefusedForARetiredScopeNamesTheScopeAsSent() {
    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class,
            () -> client.create("clone", List.of("metrics.read", "analyzers.read"), null));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.refusedScopes()).containsExactly("analyzers.read");
    assertNoSecrets(e, managementToken);
    DynatraceException other =
        catchThrowableOfType(
            DynatraceException.class, () -> client.create("", List.of("metrics.read"), null));
    assertThat(other.kind()).isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(other.refusedScopes()).as("a refusal for the name names no scope").isEmpty();
  }

  /**
   * Dynatrace since API 1.210: a full queue is a 429 without any header; the backoff alone decides
   * the wait.
   */
  @Test
  void aBare429FromCapacityThrottlingIsRateLimitedWithoutAWaitOfItsOwn() throws Exception {
    sim.throttling(Throttling.capacity(1, 0));
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      FaultRule hold = sim.faults().holdNext(1, "GET", TOKENS, release);
      Future<List<ApiToken>> busy = pool.submit(() -> client.list(null));
      assertThat(hold.awaitHeld(1, Duration.ofSeconds(10))).isTrue();

      DynatraceException e =
          catchThrowableOfType(DynatraceException.class, () -> client.get(managementId));

      assertThat(e.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.locallyThrottled()).isFalse();
      assertThat(e.transientFailure()).isTrue();
      assertThat(e.retryAfter()).isEmpty();
      assertNoSecrets(e, managementToken);
      release.countDown();
      assertThat(busy.get(10, TimeUnit.SECONDS)).isNotEmpty();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * Two places in flight against an environment that processes two at once and queues none: the
   * third call waits for a place in the client instead of meeting a 429.
   */
  @Test
  void theInFlightLimitKeepsTheThirdCallWaitingInTheClient() throws Exception {
    sim.throttling(Throttling.capacity(2, 0));
    InFlightLimit limit = new InFlightLimit(2);
    DynatraceClient limited =
        new OkHttpDynatraceClient(
            http.shared(),
            sim.baseUrl(),
            SecretValue.of(managementToken),
            new EnvironmentLimits(limit, DynatraceRateLimiter.UNLIMITED),
            listener);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      FaultRule hold = sim.faults().holdNext(2, "GET", TOKENS + "/.*", release);
      List<Future<Optional<ApiToken>>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(pool.submit(() -> limited.get(managementId)));
      }
      assertThat(hold.awaitHeld(2, Duration.ofSeconds(10))).isTrue();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> limit.waiting() == 1);
      assertThat(limit.inFlight()).isEqualTo(2);

      release.countDown();

      for (Future<Optional<ApiToken>> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isPresent();
      }
      assertThat(sim.journal().entries())
          .extracting(JournalEntry::status)
          .containsExactly(200, 200, 200);
      assertThat(limit.inFlight()).isZero();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void noPlaceInTimeIsALocalRefusalThatSendsNothing() {
    InFlightLimit full = new InFlightLimit(1, Duration.ZERO);
    InFlightLimit.Place taken = full.enter().orElseThrow();
    DynatraceClient limited =
        new OkHttpDynatraceClient(
            http.shared(),
            sim.baseUrl(),
            SecretValue.of(managementToken),
            new EnvironmentLimits(full, DynatraceRateLimiter.UNLIMITED),
            listener);

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> limited.get(managementId));

    assertThat(e.locallyThrottled()).isTrue();
    assertThat(e.retryAfter()).contains(InFlightLimit.RETRY_AFTER_REFUSAL);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dynatrace get: no free place among the 1 requests in flight to this " + "environment");
    assertThat(sim.journal().size()).isZero();
    assertThat(outcomes).endsWith("dynatrace get throttled");
    taken.close();
    assertThat(limited.get(managementId)).isPresent();
    assertThat(full.inFlight()).as("the place is freed after the answer").isZero();
  }

  @Test
  void rateLimiterRefillsGraduallyAndUnlimitedNeverRefuses() {
    SettableClock limiterClock = new SettableClock();
    limiterClock.fix(Instant.parse("2030-01-01T00:00:00Z"));
    DynatraceRateLimiter limiter = new DynatraceRateLimiter(60, limiterClock);
    for (int i = 0; i < 10; i++) { // the burst is ten seconds' worth: 10 of 60 a minute
      assertThat(limiter.tryAcquire()).isEmpty();
    }
    assertThat(limiter.tryAcquire()).contains(Duration.ofSeconds(1));
    limiterClock.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquire()).contains(Duration.ofMillis(500));
    limiterClock.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquire()).isEmpty();
    assertThat(limiter.tryAcquire()).isPresent();
    limiterClock.advance(Duration.ofHours(1)); // refills to the burst size only
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire()).isEmpty();
    }
    assertThat(limiter.tryAcquire()).isPresent();

    for (int i = 0; i < 10_000; i++) {
      assertThat(DynatraceRateLimiter.UNLIMITED.tryAcquire()).isEmpty();
    }
    assertThat(new DynatraceRateLimiter(0, limiterClock).tryAcquire()).isEmpty();
  }

  @Test
  void unlimitedClientMakesEveryCall() {
    for (int i = 0; i < 50; i++) {
      assertThat(client.get(managementId)).isPresent();
    }
    assertThat(sim.journal().count("GET", TOKENS + "/.*")).isEqualTo(50);
  }

  @Test
  void theManagementTokenTravelsOnlyInTheAuthorizationHeader() {
    client.list(null);
    client.get(managementId);
    assertThat(sim.journal().entries())
        .allSatisfy(
            e -> {
              assertThat(e.principal()).isEqualTo(managementId);
              assertThat(String.valueOf(e.query()))
                  .doesNotContain(managementToken)
                  .doesNotContain("api-token");
              assertThat(e.path()).doesNotContain(managementToken);
            });
    assertThat(client.toString()).doesNotContain(managementToken);
  }
}
