package io.tokenrotation.operator.dynatrace;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Success answers that are not what the token API describes (issue 12: a {@code 200 {}} to a lookup
 * sent the operator into a lookup loop): each is a {@link
 * DynatraceException.Kind#MALFORMED_RESPONSE} carrying the status, naming the operation and the
 * field, and quoting neither the answer nor a token. Error statuses keep their own kinds whatever
 * their body.
 */
class DynatraceMalformedWireTest {
  private static final String MANAGEMENT = "dt0c01.MANAGEMENTMANAGEMENT2345." + "M".repeat(64);
  private static final String SECRET_ID = "dt0c01.SECRETSECRETSECRETSECRET";
  private static final String SECRET = SECRET_ID + "." + "S".repeat(64);
  private static final String HTML =
      "<html><head><title>Sign in</title></head><body>Welcome back, " + SECRET + "</body></html>";
  private static final String JSON_TYPE = "application/json";
  private static final String HTML_TYPE = "text/html; charset=utf-8";

  private final MockWebServer server = new MockWebServer();
  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofMillis(500));
  private DynatraceClient client;

  /** One client call, made for its exception. */
  private enum Call {
    LOOKUP("lookup", c -> c.lookup(SecretValue.of(SECRET))),
    GET("get", c -> c.get(SECRET_ID)),
    CREATE("create", c -> c.create("rotated", List.of("metrics.ingest"), null)),
    LIST("list", c -> c.list(null)),
    DISABLE("disable", c -> c.setEnabled(SECRET_ID, false)),
    DELETE("delete", c -> c.delete(SECRET_ID));

    final String operation;
    final Consumer<DynatraceClient> run;

    Call(String operation, Consumer<DynatraceClient> run) {
      this.operation = operation;
      this.run = run;
    }
  }

  @BeforeEach
  void start() throws IOException {
    server.start();
    client =
        new OkHttpDynatraceClient(
            http.shared(),
            server.url("/").toString(),
            SecretValue.of(MANAGEMENT),
            EnvironmentLimits.NONE,
            UpstreamCallListener.NONE);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /**
   * A token as lookup and get answer it, with {@code extra} fields replacing or adding to the valid
   * ones.
   */
  private static String token(String extra) {
    return "{\"id\":\""
        + SECRET_ID
        + "\",\"name\":\"app\",\"enabled\":true,\"owner\":\"jane@example.com\","
        + "\"creationDate\":\"2025-01-01T10:00:00.000Z\",\"scopes\":[\"metrics.ingest\"]"
        + extra
        + "}";
  }

  /** Same, without one field. */
  private static String tokenWithout(String field) {
    return token("")
        .replaceAll("\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|true|false),?", "")
        .replace(",}", "}");
  }

  private static String list(String items) {
    return "{\"totalCount\":1,\"pageSize\":1000,\"nextPageKey\":null,\"apiTokens\":["
        + items
        + "]}";
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // the observed case, and bodies of no use at all
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, "{}", "id is missing"),
        Arguments.of(Call.LOOKUP, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, "", "the answer is empty"),
        Arguments.of(
            Call.LOOKUP, 200, JSON_TYPE, "[\"" + SECRET + "\"]", "the answer is not a JSON object"),
        Arguments.of(
            Call.LOOKUP, 200, JSON_TYPE, "\"" + SECRET + "\"", "the answer is not a JSON object"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, "null", "the answer is not a JSON object"),
        Arguments.of(Call.LOOKUP, 200, "text/plain", "OK", "the answer is not JSON"),
        // required fields missing or of the wrong type
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, tokenWithout("id"), "id is missing"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, token(",\"id\":42"), "id is not a string"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, token(",\"id\":\"\""), "id is empty"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, tokenWithout("name"), "name is missing"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"name\":{\"secret\":\"" + SECRET + "\"}"),
            "name is not a string"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, tokenWithout("scopes"), "scopes is missing"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, token(",\"scopes\":null"), "scopes is missing"),
        Arguments.of(
            Call.LOOKUP, 200, JSON_TYPE, token(",\"scopes\":\"x\""), "scopes is not an array"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"scopes\":[\"" + SECRET + "\",7]"),
            "scopes[1] is not a string"),
        Arguments.of(
            Call.LOOKUP, 200, JSON_TYPE, token(",\"scopes\":[null]"), "scopes[0] is missing"),
        // optional fields present with the wrong type
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"enabled\":\"yes\""),
            "enabled is not true or false"),
        Arguments.of(Call.LOOKUP, 200, JSON_TYPE, token(",\"owner\":5"), "owner is not a string"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"creationDate\":\"yesterday\""),
            "creationDate is not a date"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"expirationDate\":true"),
            "expirationDate is not a date"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"lastUsedDate\":\"\""),
            "lastUsedDate is not a date"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"modifiedDate\":\"" + SECRET + "\""),
            "modifiedDate is not a date"),
        Arguments.of(
            Call.LOOKUP,
            200,
            JSON_TYPE,
            token(",\"personalAccessToken\":1"),
            "personalAccessToken is not true or false"),
        Arguments.of(Call.LOOKUP, 302, HTML_TYPE, HTML, "a redirect instead of an answer"),
        Arguments.of(Call.GET, 200, JSON_TYPE, "{}", "id is missing"),
        Arguments.of(Call.GET, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        Arguments.of(Call.GET, 200, JSON_TYPE, tokenWithout("scopes"), "scopes is missing"),
        // create: id and the secret
        Arguments.of(Call.CREATE, 201, JSON_TYPE, "{}", "id is missing"),
        Arguments.of(
            Call.CREATE, 201, JSON_TYPE, "{\"token\":\"" + SECRET + "\"}", "id is missing"),
        Arguments.of(
            Call.CREATE, 201, JSON_TYPE, "{\"id\":\"" + SECRET_ID + "\"}", "token is missing"),
        Arguments.of(
            Call.CREATE,
            201,
            JSON_TYPE,
            "{\"id\":\"" + SECRET_ID + "\",\"token\":[\"" + SECRET + "\"]}",
            "token is not a string"),
        Arguments.of(
            Call.CREATE,
            201,
            JSON_TYPE,
            "{\"id\":\""
                + SECRET_ID
                + "\",\"token\":\""
                + SECRET
                + "\",\"expirationDate\":\"in a month\"}",
            "expirationDate is not a date"),
        Arguments.of(
            Call.CREATE,
            201,
            JSON_TYPE,
            "{\"token\":\"" + SECRET + "\", oops",
            "the answer is not JSON"),
        Arguments.of(Call.CREATE, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        // list: the array and every item in it
        Arguments.of(Call.LIST, 200, JSON_TYPE, "{}", "apiTokens is missing"),
        Arguments.of(Call.LIST, 200, JSON_TYPE, "{\"apiTokens\":{}}", "apiTokens is not an array"),
        Arguments.of(
            Call.LIST,
            200,
            JSON_TYPE,
            list("\"" + SECRET_ID + "\""),
            "apiTokens[0] is not a JSON object"),
        Arguments.of(
            Call.LIST,
            200,
            JSON_TYPE,
            list(token("") + "," + tokenWithout("scopes")),
            "apiTokens[1].scopes is missing"),
        Arguments.of(
            Call.LIST,
            200,
            JSON_TYPE,
            list(token(",\"lastUsedDate\":\"never\"")),
            "apiTokens[0].lastUsedDate is not a date"),
        Arguments.of(
            Call.LIST,
            200,
            JSON_TYPE,
            "{\"apiTokens\":[],\"nextPageKey\":5}",
            "nextPageKey is not a string"),
        Arguments.of(Call.LIST, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        // no body is read, but a page is not "done": the token may well still be there
        Arguments.of(Call.DISABLE, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        Arguments.of(Call.DELETE, 200, HTML_TYPE, HTML, "the answer is not JSON"),
        Arguments.of(Call.DELETE, 301, HTML_TYPE, "", "a redirect instead of an answer"));
  }

  @ParameterizedTest(name = "{0} answered {1} {2} -> {4}")
  @MethodSource("malformed")
  void aMalformedAnswerIsItsOwnKindNamingOperationAndFieldButNoText(
      Call call, int status, String contentType, String body, String problem) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", contentType)
            .setHeader("Location", "https://login.example/?next=" + SECRET_ID)
            .setBody(body));

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> call.run.accept(client));

    assertThat(e).as("a DynatraceException").isNotNull();
    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.MALFORMED_RESPONSE);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.operation()).contains(call.operation);
    assertThat(e.transientFailure()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "Dynatrace "
                + call.operation
                + ": HTTP "
                + status
                + " answer does not match the API: "
                + problem);
    assertThat(e.getCause()).isNull();
    assertNoSecrets(e, MANAGEMENT, SECRET, "S".repeat(64));
    if (!body.isBlank()) {
      assertNoSecrets(e, body);
    }
    assertThat(server.getRequestCount()).as("one call, no retry inside the client").isEqualTo(1);
  }

  @Test
  void aListWhosePagesNeverEndIsMalformedAtTheFirstRepeatedKey() {
    String page = "{\"apiTokens\":[" + token("") + "],\"nextPageKey\":\"AGAIN\"}";
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", JSON_TYPE)
              .setBody(page));
    }

    DynatraceException e = catchThrowableOfType(DynatraceException.class, () -> client.list(null));

    assertThat(e.kind()).isEqualTo(DynatraceException.Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dynatrace list: HTTP 200 answer does not match the API: nextPageKey repeats an earlier page's key");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void optionalFieldsMayBeAbsentOrNullAndDatesMayBeMillisOrWithoutOffset() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", JSON_TYPE)
            .setBody(
                "{\"id\":\""
                    + SECRET_ID
                    + "\",\"name\":\"\",\"scopes\":[],\"owner\":null,\"enabled\":null,"
                    + "\"creationDate\":1735725600000,\"modifiedDate\":\"2025-01-01T10:00:00\",\"lastUsedDate\":null}"));

    ApiToken token = client.lookup(SecretValue.of(SECRET));

    assertThat(token)
        .isEqualTo(
            new ApiToken(
                SECRET_ID,
                "",
                true,
                null,
                List.of(),
                Instant.parse("2025-01-01T10:00:00Z"),
                null,
                null,
                Instant.parse("2025-01-01T10:00:00Z"),
                false));
  }

  /** Error statuses keep the kind of their status, whatever the body: parsing it never throws. */
  static Stream<Arguments> errorBodies() {
    return Stream.of(
        Arguments.of(
            502,
            HTML_TYPE,
            "<html><body>Bad Gateway</body></html>",
            DynatraceException.Kind.SERVER_ERROR),
        Arguments.of(
            503, "text/plain", "upstream connect error", DynatraceException.Kind.SERVER_ERROR),
        Arguments.of(
            500,
            JSON_TYPE,
            "{\"error\":{\"code\":\"x\",\"constraintViolations\":\"y\"}}",
            DynatraceException.Kind.SERVER_ERROR),
        Arguments.of(
            500, JSON_TYPE, "{\"error\":\"" + SECRET + "\"}", DynatraceException.Kind.SERVER_ERROR),
        Arguments.of(400, JSON_TYPE, "[1,2]", DynatraceException.Kind.BAD_REQUEST),
        Arguments.of(404, HTML_TYPE, HTML, DynatraceException.Kind.NOT_FOUND),
        Arguments.of(429, HTML_TYPE, HTML, DynatraceException.Kind.RATE_LIMITED));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errorBodies")
  void anErrorStatusKeepsItsKindWhateverTheBody(
      int status, String contentType, String body, DynatraceException.Kind kind) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", contentType)
            .setBody(body));

    DynatraceException e =
        catchThrowableOfType(DynatraceException.class, () -> client.lookup(SecretValue.of(SECRET)));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.getMessage()).startsWith("Dynatrace lookup: HTTP " + status);
    assertNoSecrets(e, MANAGEMENT, SECRET);
  }
}
