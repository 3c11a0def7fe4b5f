package io.tokenrotation.operator.vault;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.sim.http.SettableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Success answers that are not what Vault's API describes: each is a {@link
 * VaultException.Kind#MALFORMED_RESPONSE} carrying the status, naming the call and the field, and
 * quoting neither the answer, nor the Vault token, nor a secret value. Error statuses keep their
 * own kinds whatever their body.
 */
class VaultMalformedWireTest {
  private static final String ROOT = "hvs.STATICTOKENSTATICTOKEN1234";
  private static final String LOGIN_TOKEN = "hvs.LOGINTOKENLOGINTOKENLOGIN";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2ln";
  private static final String VALUE = "dt0c01.NEWNEWNEWNEWNEWNEWNEWNEWNE." + "N".repeat(64);
  private static final String OLD = "dt0c01.OLDOLDOLDOLDOLDOLDOLDOLDOL." + "O".repeat(64);
  private static final KvLocation V2 = new KvLocation("secret", "dynatrace/app", KvVersion.V2);
  private static final KvLocation V1 = new KvLocation("kv", "dynatrace/app", KvVersion.V1);
  private static final KvSecret EXPECTED_V2 = new KvSecret(Map.of("token", OLD), 3);
  private static final KvSecret EXPECTED_V1 = new KvSecret(Map.of("token", OLD), 0);
  private static final String HTML =
      "<html><body>Please sign in. Session " + ROOT + " / " + OLD + "</body></html>";
  private static final String JSON_TYPE = "application/json";
  private static final String HTML_TYPE = "text/html";
  private static final String V2_WHERE = "secret/dynatrace/app";
  private static final String V1_WHERE = "kv/dynatrace/app";
  private static final String DATA = "{\"token\":\"" + OLD + "\"}";

  private final MockWebServer server = new MockWebServer();
  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofMillis(500));

  /**
   * How the client authenticates: a static token, or a Kubernetes login (whose answer may be the
   * bad one).
   */
  private enum Auth {
    STATIC,
    LOGIN
  }

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private VaultClient client(Auth auth) {
    VaultAuth vaultAuth =
        auth == Auth.STATIC
            ? new StaticTokenAuth(SecretValue.of(ROOT))
            : LoginAuth.kubernetes(
                "kubernetes", "rotator", () -> SecretValue.of(JWT), new SettableClock());
    return new OkHttpVaultClient(
        http.shared(), server.url("/").toString(), "", vaultAuth, UpstreamCallListener.NONE);
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", JSON_TYPE)
        .setBody(body);
  }

  private static MockResponse html(int status) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", HTML_TYPE)
        .setBody(HTML);
  }

  private static MockResponse v2Read(String data, String metadata) {
    return json(
        200,
        "{\"request_id\":\"r\",\"data\":{\"data\":" + data + ",\"metadata\":" + metadata + "}}");
  }

  private static Arguments readV2(MockResponse answer, String problem) {
    return Arguments.of(
        "read v2",
        Auth.STATIC,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.read(V2),
        "read " + V2_WHERE,
        problem);
  }

  private static Arguments readV1(MockResponse answer, String problem) {
    return Arguments.of(
        "read v1",
        Auth.STATIC,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.read(V1),
        "read " + V1_WHERE,
        problem);
  }

  private static Arguments patch(MockResponse answer, String problem) {
    return Arguments.of(
        "patch v2",
        Auth.STATIC,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.writeField(V2, "token", SecretValue.of(VALUE), EXPECTED_V2),
        "patch " + V2_WHERE,
        problem);
  }

  private static Arguments createV2(MockResponse answer, String problem) {
    return Arguments.of(
        "create v2",
        Auth.STATIC,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.createField(V2, "token", SecretValue.of(VALUE)),
        "create " + V2_WHERE,
        problem);
  }

  private static Arguments detect(MockResponse answer, String problem) {
    return Arguments.of(
        "detect",
        Auth.STATIC,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.resolveVersion("secret", "dynatrace/app", KvVersion.AUTO),
        "detect-kv-version secret",
        problem);
  }

  private static Arguments login(MockResponse answer, String problem) {
    return Arguments.of(
        "login",
        Auth.LOGIN,
        List.of(answer),
        (Consumer<VaultClient>) c -> c.read(V2),
        "login auth/kubernetes",
        problem);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        readV2(json(200, "{}"), "data is missing"),
        readV2(html(200), "the answer is not JSON"),
        readV2(json(200, ""), "the answer is empty"),
        readV2(json(200, "[\"" + OLD + "\"]"), "the answer is not a JSON object"),
        readV2(json(200, "{\"data\":\"" + OLD + "\"}"), "data is not a JSON object"),
        readV2(json(200, "{\"data\":{}}"), "data.data is missing"),
        readV2(
            json(200, "{\"data\":{\"data\":null,\"metadata\":{\"version\":3}}}"),
            "data.data is missing"),
        readV2(v2Read("\"" + OLD + "\"", "{\"version\":3}"), "data.data is not a JSON object"),
        readV2(json(200, "{\"data\":{\"data\":" + DATA + "}}"), "data.metadata is missing"),
        readV2(v2Read(DATA, "{}"), "data.metadata.version is missing"),
        readV2(
            v2Read(DATA, "{\"version\":\"three\"}"), "data.metadata.version is not a whole number"),
        readV2(v2Read(DATA, "{\"version\":3.5}"), "data.metadata.version is not a whole number"),
        readV2(v2Read(DATA, "{\"version\":0}"), "data.metadata.version is not a positive number"),
        readV2(
            new MockResponse()
                .setResponseCode(307)
                .setHeader("Location", "http://standby:8200/v1/x"),
            "a redirect instead of an answer"),
        readV1(json(200, "{}"), "data is missing"),
        readV1(json(200, "{\"data\":[\"" + OLD + "\"]}"), "data is not a JSON object"),
        readV1(html(200), "the answer is not JSON"),
        patch(json(200, "{}"), "data is missing"),
        patch(json(200, "{\"data\":{}}"), "data.version is missing"),
        patch(json(200, "{\"data\":{\"version\":\"4th\"}}"), "data.version is not a whole number"),
        patch(html(200), "the answer is not JSON"),
        createV2(json(200, "{\"data\":{\"version\":null}}"), "data.version is missing"),
        createV2(json(204, ""), "the answer is empty"),
        detect(json(200, "{}"), "data is missing"),
        detect(json(200, "{\"data\":{\"options\":\"2\"}}"), "data.options is not a JSON object"),
        detect(
            json(200, "{\"data\":{\"options\":{\"version\":\"3\"}}}"),
            "data.options.version is neither 1 nor 2"),
        detect(
            json(200, "{\"data\":{\"options\":{\"version\":true}}}"),
            "data.options.version is not a string"),
        detect(html(200), "the answer is not JSON"),
        login(json(200, "{}"), "auth is missing"),
        login(
            json(200, "{\"auth\":null,\"data\":{\"client_token\":\"" + LOGIN_TOKEN + "\"}}"),
            "auth is missing"),
        login(json(200, "{\"auth\":{}}"), "auth.client_token is missing"),
        login(json(200, "{\"auth\":{\"client_token\":\"\"}}"), "auth.client_token is empty"),
        login(
            json(200, "{\"auth\":{\"client_token\":[\"" + LOGIN_TOKEN + "\"]}}"),
            "auth.client_token is not a string"),
        login(
            json(
                200,
                "{\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\",\"lease_duration\":\"1h\"}}"),
            "auth.lease_duration is not a whole number"),
        login(
            json(
                200, "{\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\",\"lease_duration\":-1}}"),
            "auth.lease_duration is out of range"),
        login(
            json(
                200, "{\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\",\"renewable\":\"yes\"}}"),
            "auth.renewable is not true or false"),
        login(html(200), "the answer is not JSON"),
        login(json(204, ""), "the answer is empty"),
        login(
            new MockResponse().setResponseCode(302).setHeader("Location", "https://sso.example/"),
            "a redirect instead of an answer"),
        // the KV v1 write: re-read first, then the write itself, whose 200 page must not pass for
        // "written"
        Arguments.of(
            "write v1 re-read",
            Auth.STATIC,
            List.of(html(200)),
            (Consumer<VaultClient>)
                c -> c.writeField(V1, "token", SecretValue.of(VALUE), EXPECTED_V1),
            "read " + V1_WHERE,
            "the answer is not JSON"),
        Arguments.of(
            "write v1",
            Auth.STATIC,
            List.of(json(200, "{\"data\":" + DATA + "}"), html(200)),
            (Consumer<VaultClient>)
                c -> c.writeField(V1, "token", SecretValue.of(VALUE), EXPECTED_V1),
            "write " + V1_WHERE,
            "the answer is not JSON"),
        // the metadata read that decides whether a rejected check-and-set was a conflict
        Arguments.of(
            "metadata",
            Auth.STATIC,
            List.of(
                json(
                    400,
                    "{\"errors\":[\"check-and-set parameter did not "
                        + "match the current version\"]}"),
                json(200, "{\"data\":{\"cas_required\":false}}")),
            (Consumer<VaultClient>)
                c -> c.writeField(V2, "token", SecretValue.of(VALUE), EXPECTED_V2),
            "metadata " + V2_WHERE,
            "data.current_version is missing"));
  }

  @ParameterizedTest(name = "{0}: {5}")
  @MethodSource("malformed")
  void aMalformedAnswerIsItsOwnKindNamingCallAndFieldButNoText(
      String name,
      Auth auth,
      List<MockResponse> answers,
      Consumer<VaultClient> call,
      String callName,
      String problem) {
    answers.forEach(server::enqueue);
    MockResponse bad = answers.get(answers.size() - 1);
    int status = Integer.parseInt(bad.getStatus().split(" ")[1]);
    String body = bad.getBody() == null ? "" : bad.getBody().readUtf8();

    VaultException e = catchThrowableOfType(VaultException.class, () -> call.accept(client(auth)));

    assertThat(e).as("a VaultException").isNotNull();
    assertThat(e.kind()).isEqualTo(VaultException.Kind.MALFORMED_RESPONSE);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.call()).contains(callName);
    assertThat(e.transientFailure()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "Vault "
                + callName
                + ": HTTP "
                + status
                + " answer does not match the API: "
                + problem);
    assertThat(e.getCause()).isNull();
    assertNoSecrets(e, ROOT, LOGIN_TOKEN, JWT, VALUE, OLD, "O".repeat(64));
    if (!body.isBlank()) {
      assertNoSecrets(e, body);
    }
    assertThat(server.getRequestCount())
        .as("each answer asked for once, no retry inside the client")
        .isEqualTo(answers.size());
  }

  /** Error statuses keep the kind of their status, whatever the body: parsing it never throws. */
  static Stream<Arguments> errorBodies() {
    return Stream.of(
        Arguments.of(html(502), VaultException.Kind.SERVER_ERROR),
        Arguments.of(html(503), VaultException.Kind.SEALED),
        Arguments.of(html(500), VaultException.Kind.SERVER_ERROR),
        Arguments.of(html(429), VaultException.Kind.RATE_LIMITED),
        Arguments.of(html(400), VaultException.Kind.BAD_REQUEST),
        Arguments.of(html(403), VaultException.Kind.FORBIDDEN),
        Arguments.of(
            json(500, "{\"errors\":[{\"token\":\"" + ROOT + "\"}]}"),
            VaultException.Kind.SERVER_ERROR),
        Arguments.of(json(500, "{\"errors\":\"" + ROOT + "\"}"), VaultException.Kind.SERVER_ERROR),
        Arguments.of(json(502, "[1]"), VaultException.Kind.SERVER_ERROR));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("errorBodies")
  void anErrorStatusKeepsItsKindWhateverTheBody(MockResponse answer, VaultException.Kind kind) {
    server.enqueue(answer);
    int status = Integer.parseInt(answer.getStatus().split(" ")[1]);

    VaultException e =
        catchThrowableOfType(VaultException.class, () -> client(Auth.STATIC).read(V2));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.getMessage()).isEqualTo("Vault read " + V2_WHERE + ": HTTP " + status);
    assertNoSecrets(e, ROOT, OLD);
  }
}
