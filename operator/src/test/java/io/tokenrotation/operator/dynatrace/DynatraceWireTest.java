package io.tokenrotation.operator.dynatrace;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.sim.http.SettableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exact request shapes and answer parsing of {@link OkHttpDynatraceClient}, over real HTTP against
 * a scripted server (the simulator tests cover behaviour; these pin paths, headers, queries and
 * bodies byte for byte).
 */
class DynatraceWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGEMENT = "dt0c01.MANAGEMENTMANAGEMENT2345." + "M".repeat(64);
  private static final String SECRET_ID = "dt0c01.SECRETSECRETSECRETSECRET";
  private static final String SECRET = SECRET_ID + "." + "S".repeat(64);
  private static final String TOKENS = "/e/env-1/api/v2/apiTokens";

  private final MockWebServer server = new MockWebServer();
  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofMillis(500));
  private DynatraceClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    // A Managed environment URL (with /e/<env>) and a trailing slash, as users paste it.
    client = client(EnvironmentLimits.NONE);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private DynatraceClient client(EnvironmentLimits limits) {
    return new OkHttpDynatraceClient(
        http.shared(),
        server.url("/e/env-1/").toString(),
        SecretValue.of(MANAGEMENT),
        limits,
        UpstreamCallListener.NONE);
  }

  private void answer(int status, String body) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", "application/json")
            .setBody(body));
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    assertThat(request.getHeader("Authorization")).isEqualTo("Api-Token " + MANAGEMENT);
    return request;
  }

  private static JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  @Test
  void lookupPostsTheSecretInTheBodyAndParsesEveryField() throws Exception {
    answer(
        200,
        """
        {"id":"%s","name":"app","enabled":true,"personalAccessToken":false,"owner":"jane@example.com",
         "creationDate":"2025-01-01T10:00:00.000Z","expirationDate":"2026-01-01T10:00:00.000Z",
         "lastUsedDate":null,"modifiedDate":"2025-02-01T10:00:00.000+01:00","lastUsedIpAddress":"10.0.0.1",
         "scopes":["metrics.ingest","someFutureScope"],"additionalMetadata":{"dashboardId":"x"}}
        """
            .formatted(SECRET_ID));

    ApiToken token = client.lookup(SecretValue.of(SECRET));

    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo(TOKENS + "/lookup");
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    assertThat(body(request)).isEqualTo(JSON.createObjectNode().put("token", SECRET));
    assertThat(token)
        .isEqualTo(
            new ApiToken(
                SECRET_ID,
                "app",
                true,
                "jane@example.com",
                List.of("metrics.ingest", "someFutureScope"),
                Instant.parse("2025-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T10:00:00Z"),
                null,
                Instant.parse("2025-02-01T09:00:00Z"),
                false));
  }

  @Test
  void createSendsNameScopesAndIsoExpiryAndReturnsTheSecretOnce() throws Exception {
    answer(
        201,
        "{\"id\":\"%s\",\"token\":\"%s\",\"expirationDate\":\"2026-01-31T10:00:00.000Z\"}"
            .formatted(SECRET_ID, SECRET));

    CreatedToken created =
        client.create(
            "rotated-1",
            List.of("metrics.ingest", "logs.ingest"),
            Instant.parse("2026-01-31T10:00:00Z"));

    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo(TOKENS);
    assertThat(body(request))
        .isEqualTo(
            JSON.readTree(
                "{\"name\":\"rotated-1\",\"scopes\":[\"metrics.ingest\",\"logs.ingest\"],"
                    + "\"expirationDate\":\"2026-01-31T10:00:00Z\"}"));
    assertThat(created.id()).isEqualTo(SECRET_ID);
    assertThat(created.token().reveal()).isEqualTo(SECRET);
    assertThat(created.toString()).doesNotContain(SECRET);
    assertThat(created.expirationDate()).isEqualTo(Instant.parse("2026-01-31T10:00:00Z"));
  }

  @Test
  void createWithoutExpirySendsNoExpiryAndToleratesItsAbsence() throws Exception {
    answer(201, "{\"id\":\"%s\",\"token\":\"%s\"}".formatted(SECRET_ID, SECRET));

    CreatedToken created = client.create("forever", List.of("metrics.ingest"), null);

    assertThat(body(taken()).has("expirationDate")).isFalse();
    assertThat(created.expirationDate()).isNull();
  }

  @Test
  void getToleratesAbsentAndNullDatesAndUnknownFields() throws Exception {
    answer(
        200,
        ("{\"id\":\"%s\",\"name\":\"n\",\"enabled\":false,\"scopes\":[],\"expirationDate\":null,"
                + "\"somethingNew\":[1]}")
            .formatted(SECRET_ID));

    ApiToken token = client.get(SECRET_ID).orElseThrow();

    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo(TOKENS + "/" + SECRET_ID);
    assertThat(token.enabled()).isFalse();
    assertThat(token.scopes()).isEmpty();
    assertThat(token.creationDate()).isNull();
    assertThat(token.expirationDate()).isNull();
    assertThat(token.lastUsedDate()).isNull();
  }

  @Test
  void getIsEmptyOnAnEmpty404AndOnAnEnveloped404() {
    server.enqueue(new MockResponse().setResponseCode(404));
    answer(404, "{\"error\":{\"code\":404,\"message\":\"Token not found\"}}");

    assertThat(client.get(SECRET_ID)).isEmpty();
    assertThat(client.get(SECRET_ID)).isEmpty();
  }

  @Test
  void listAsksForTheExtraFieldsThenSendsOnlyTheNextPageKey() throws Exception {
    answer(
        200,
        "{\"totalCount\":3,\"pageSize\":2,\"nextPageKey\":\"PAGE+2/x=\",\"apiTokens\":["
            + "{\"id\":\"dt0c01.A\",\"name\":\"a\",\"enabled\":true,\"scopes\":[]},"
            + "{\"id\":\"dt0c01.B\",\"name\":\"b\",\"enabled\":true,\"scopes\":[\"logs.ingest\"]}]}");
    answer(
        200,
        "{\"totalCount\":3,\"pageSize\":2,\"nextPageKey\":null,\"apiTokens\":["
            + "{\"id\":\"dt0c01.C\",\"name\":\"c\",\"enabled\":true,\"scopes\":[\"logs.ingest\"]}]}");

    List<ApiToken> tokens = client.list("owner(\"jane\")");

    assertThat(tokens).extracting(ApiToken::id).containsExactly("dt0c01.A", "dt0c01.B", "dt0c01.C");
    HttpUrl first = taken().getRequestUrl();
    assertThat(first.encodedPath()).isEqualTo(TOKENS);
    assertThat(first.queryParameterNames())
        .containsExactlyInAnyOrder("pageSize", "fields", "apiTokenSelector");
    assertThat(first.queryParameter("pageSize")).isEqualTo("1000");
    assertThat(first.queryParameter("fields"))
        .isEqualTo("+scopes,+expirationDate,+lastUsedDate,+modifiedDate,+personalAccessToken");
    assertThat(first.queryParameter("apiTokenSelector")).isEqualTo("owner(\"jane\")");
    // "+" must arrive as a plus, not as a space
    assertThat(first.encodedQuery()).contains("fields=%2Bscopes");
    HttpUrl second = taken().getRequestUrl();
    assertThat(second.queryParameterNames()).containsExactly("nextPageKey");
    assertThat(second.queryParameter("nextPageKey")).isEqualTo("PAGE+2/x=");
  }

  @Test
  void listWithoutSelectorSendsNoSelectorAndStopsWhenThereIsNoNextPageKey() throws Exception {
    answer(200, "{\"totalCount\":0,\"apiTokens\":[]}");

    assertThat(client.list(null)).isEmpty();
    assertThat(taken().getRequestUrl().queryParameterNames())
        .containsExactlyInAnyOrder("pageSize", "fields");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void setEnabledPutsOnlyTheFlagAndIsFalseOn404() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setResponseCode(404));

    assertThat(client.setEnabled(SECRET_ID, false)).isTrue();
    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getPath()).isEqualTo(TOKENS + "/" + SECRET_ID);
    assertThat(body(request)).isEqualTo(JSON.createObjectNode().put("enabled", false));
    assertThat(client.setEnabled(SECRET_ID, true)).isFalse();
    assertThat(body(taken())).isEqualTo(JSON.createObjectNode().put("enabled", true));
  }

  @Test
  void deleteIsTrueOn204AndFalseOn404() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setResponseCode(404));

    assertThat(client.delete(SECRET_ID)).isTrue();
    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getPath()).isEqualTo(TOKENS + "/" + SECRET_ID);
    assertThat(client.delete(SECRET_ID)).isFalse();
  }

  @Test
  void aBadRequestNamesTheStatusMessageAndFirstViolation() {
    answer(
        400,
        """
        {"error":{"code":400,"message":"Constraints violated.","constraintViolations":[
          {"path":"scopes","message":"unknown scope","parameterLocation":"PAYLOAD_BODY","location":null}]}}""");

    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class, () -> client.create("x", List.of("nope"), null));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage())
        .isEqualTo("Dynatrace create: HTTP 400 (Constraints violated.; scopes: unknown scope)");
  }

  @Test
  void statusesMapToKinds() {
    answer(401, "{\"error\":{\"code\":401,\"message\":\"Missing authorization parameter.\"}}");
    answer(403, "{\"error\":{\"code\":403,\"message\":\"Token is missing required scope.\"}}");
    server.enqueue(new MockResponse().setResponseCode(404)); // lookup of an unknown secret: no body
    answer(500, "<html>proxy error</html>");
    answer(502, "");

    assertThat(kindOf(() -> client.list(null))).isEqualTo(DynatraceException.Kind.UNAUTHORIZED);
    assertThat(kindOf(() -> client.create("x", List.of("a"), null)))
        .isEqualTo(DynatraceException.Kind.FORBIDDEN);
    assertThat(kindOf(() -> client.lookup(SecretValue.of(SECRET))))
        .isEqualTo(DynatraceException.Kind.NOT_FOUND);
    assertThat(kindOf(() -> client.get(SECRET_ID))).isEqualTo(DynatraceException.Kind.SERVER_ERROR);
    assertThat(kindOf(() -> client.delete(SECRET_ID)))
        .isEqualTo(DynatraceException.Kind.SERVER_ERROR);
  }

  private static DynatraceException.Kind kindOf(Runnable call) {
    DynatraceException e = catchThrowableOfType(DynatraceException.class, call::run);
    assertThat(e).as("a DynatraceException").isNotNull();
    assertNoSecrets(e, MANAGEMENT, SECRET);
    return e.kind();
  }

  @Test
  void rateLimitedWaitsUntilTheResetOrForRetryAfter() {
    long inTwentySeconds =
        (System.currentTimeMillis() + 20_000) * 1000; // microseconds, as documented
    server.enqueue(
        new MockResponse().setResponseCode(429).setHeader("X-RateLimit-Reset", inTwentySeconds));
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));

    DynatraceException byReset =
        catchThrowableOfType(DynatraceException.class, () -> client.get(SECRET_ID));
    DynatraceException byRetryAfter =
        catchThrowableOfType(DynatraceException.class, () -> client.get(SECRET_ID));

    assertThat(byReset.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(byReset.status()).isEqualTo(429);
    assertThat(byReset.retryAfter())
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20)));
    assertThat(byRetryAfter.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void noAnswerInTimeIsATimeoutAndADroppedConnectionIsIo() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    DynatraceException timeout =
        catchThrowableOfType(DynatraceException.class, () -> client.lookup(SecretValue.of(SECRET)));
    DynatraceException io =
        catchThrowableOfType(DynatraceException.class, () -> client.get(SECRET_ID));

    assertThat(timeout.kind()).isEqualTo(DynatraceException.Kind.TIMEOUT);
    assertThat(timeout.status()).isZero();
    assertThat(io.kind()).isEqualTo(DynatraceException.Kind.IO);
    assertNoSecrets(timeout, MANAGEMENT, SECRET);
    assertNoSecrets(io, MANAGEMENT, SECRET);
  }

  @Test
  void upstreamTextEchoingASecretIsRedactedButKeepsTheTokenId() {
    answer(
        400,
        "{\"error\":{\"code\":400,\"message\":\"Cannot delete the calling token "
            + MANAGEMENT
            + " nor "
            + SECRET
            + "\"}}");

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> client.delete(SECRET));

    assertNoSecrets(e, MANAGEMENT, SECRET, "S".repeat(64), "M".repeat(64));
    assertThat(e.getMessage()).contains(SECRET_ID + ".***");
  }

  @Test
  void aSentSecretOfAnUnexpectedShapeIsMaskedToo() {
    String odd = "not-a-dynatrace-shaped-secret-1234";
    answer(404, "{\"error\":{\"code\":404,\"message\":\"no token " + odd + "\"}}");
    answer(
        401,
        "{\"error\":{\"code\":401,\"message\":\"bad "
            + MANAGEMENT.toLowerCase()
            + " / "
            + MANAGEMENT
            + "\"}}");

    assertNoSecrets(
        catchThrowableOfType(DynatraceException.class, () -> client.lookup(SecretValue.of(odd))),
        odd);
    assertNoSecrets(
        catchThrowableOfType(DynatraceException.class, () -> client.list(null)),
        MANAGEMENT,
        MANAGEMENT.toLowerCase());
  }

  @Test
  void aSuccessAnswerThatIsNotJsonIsMalformedQuotingNothing() {
    server.enqueue(
        new MockResponse().setResponseCode(201).setBody("{\"token\":\"" + SECRET + "\", oops"));

    DynatraceException e =
        catchThrowableOfType(
            DynatraceException.class, () -> client.create("x", List.of("a"), null));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dynatrace create: HTTP 201 answer does not match the API: "
                + "the answer is not JSON");
  }

  @Test
  void theLocalLimiterRefusesWithoutCallingAndSaysHowLongToWait() {
    SettableClock clock = new SettableClock();
    DynatraceClient limited =
        client(new EnvironmentLimits(InFlightLimit.UNLIMITED, new DynatraceRateLimiter(1, clock)));
    server.enqueue(new MockResponse().setResponseCode(204));

    assertThat(limited.delete(SECRET_ID)).isTrue();
    DynatraceException refused =
        catchThrowableOfType(DynatraceException.class, () -> limited.delete(SECRET_ID));

    assertThat(refused.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(refused.status()).isZero();
    assertThat(refused.retryAfter())
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60)));
    assertThat(server.getRequestCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(60));
    server.enqueue(new MockResponse().setResponseCode(204));
    assertThat(limited.delete(SECRET_ID)).isTrue();
  }

  @Test
  void aSaasRootUrlGetsTheApiPathAppended() throws Exception {
    DynatraceClient saas =
        new OkHttpDynatraceClient(
            http.shared(),
            server.url("/").toString(),
            SecretValue.of(MANAGEMENT),
            EnvironmentLimits.NONE,
            UpstreamCallListener.NONE);
    server.enqueue(new MockResponse().setResponseCode(204));

    saas.delete(SECRET_ID);

    assertThat(taken().getPath()).isEqualTo("/api/v2/apiTokens/" + SECRET_ID);
  }
}
