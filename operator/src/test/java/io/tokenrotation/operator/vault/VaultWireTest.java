package io.tokenrotation.operator.vault;

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
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exact request shapes and answer parsing of {@link OkHttpVaultClient} and its auths, over real
 * HTTP against a scripted server (the simulator tests cover behaviour; these pin paths, headers and
 * bodies).
 */
class VaultWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "hvs.STATICTOKENSTATICTOKEN1234";
  private static final String VALUE = "dt0c01.NEWNEWNEWNEWNEWNEWNEWNEWNE." + "N".repeat(64);
  private static final String OTHER = "other-field-secret-value";
  private static final KvLocation V2 = new KvLocation("secret", "dynatrace/app", KvVersion.V2);
  private static final KvLocation V1 = new KvLocation("kv", "dynatrace/app", KvVersion.V1);

  private final MockWebServer server = new MockWebServer();
  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofMillis(500));

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private VaultClient client(String namespace, VaultAuth auth) {
    return new OkHttpVaultClient(
        http.shared(), server.url("/").toString(), namespace, auth, UpstreamCallListener.NONE);
  }

  private VaultClient staticClient() {
    return client("", new StaticTokenAuth(SecretValue.of(ROOT)));
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
    return request;
  }

  private static JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  private static String v2Read(String token, long version) {
    return """
        {"request_id":"r","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"token":"%s","other":"%s"},
         "metadata":{"created_time":"2024-05-01T10:00:00.123456789Z","custom_metadata":null,"deletion_time":"",
         "destroyed":false,"version":%d}},"wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}"""
        .formatted(token, OTHER, version);
  }

  private static String metadata(long currentVersion) {
    return "{\"data\":{\"cas_required\":false,\"current_version\":"
        + currentVersion
        + ",\"max_versions\":0}}";
  }

  // ---------------------------------------------------------------- headers, detection, read

  @Test
  void everyRequestCarriesTokenRequestMarkerAndNamespaceOnlyWhenSet() throws Exception {
    answer(404, "{\"errors\":[]}");
    answer(404, "{\"errors\":[]}");

    staticClient().read(V2);
    client("team-a/", new StaticTokenAuth(SecretValue.of(ROOT))).read(V2);

    RecordedRequest plain = taken();
    assertThat(plain.getMethod()).isEqualTo("GET");
    assertThat(plain.getPath()).isEqualTo("/v1/secret/data/dynatrace/app");
    assertThat(plain.getHeader("X-Vault-Token")).isEqualTo(ROOT);
    assertThat(plain.getHeader("X-Vault-Request")).isEqualTo("true");
    assertThat(plain.getHeaders().names()).doesNotContain("X-Vault-Namespace");
    assertThat(taken().getHeader("X-Vault-Namespace")).isEqualTo("team-a/");
  }

  @Test
  void versionDetectionAsksThePreflightRouteAndCachesPerMount() throws Exception {
    answer(
        200, "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"2\"}}}");
    answer(200, "{\"data\":{\"path\":\"kv/\",\"type\":\"kv\",\"options\":null}}");
    answer(404, "{\"errors\":[]}");
    VaultClient client = staticClient();

    assertThat(client.resolveVersion("secret", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    assertThat(client.resolveVersion("secret", "dynatrace/other", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    assertThat(client.resolveVersion("kv", "a", KvVersion.AUTO)).isEqualTo(KvVersion.V1);
    assertThat(client.resolveVersion("old", "a", KvVersion.AUTO)).isEqualTo(KvVersion.V1);
    assertThat(client.resolveVersion("whatever", "a", KvVersion.V2)).isEqualTo(KvVersion.V2);

    assertThat(taken().getPath()).isEqualTo("/v1/sys/internal/ui/mounts/secret/dynatrace/app");
    assertThat(taken().getPath()).isEqualTo("/v1/sys/internal/ui/mounts/kv/a");
    assertThat(taken().getPath()).isEqualTo("/v1/sys/internal/ui/mounts/old/a");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void readV2ReturnsDataAndVersionAndIsEmptyWhenAbsentOrSoftDeleted() {
    answer(200, v2Read(VALUE, 3));
    answer(404, "{\"errors\":[]}");
    answer(
        404,
        """
        {"data":{"data":null,"metadata":{"created_time":"2024-05-01T10:00:00Z","custom_metadata":null,
         "deletion_time":"2024-05-02T10:00:00Z","destroyed":false,"version":4}},"lease_duration":0}""");
    VaultClient client = staticClient();

    KvSecret secret = client.read(V2).orElseThrow();
    assertThat(secret.version()).isEqualTo(3);
    assertThat(secret.data()).isEqualTo(Map.of("token", VALUE, "other", OTHER));
    assertThat(secret.toString()).doesNotContain(VALUE).doesNotContain(OTHER);
    assertThat(client.read(V2)).isEmpty();
    assertThat(client.read(V2)).isEmpty();
  }

  @Test
  void readVersionAsksForThatVersionAndRefusesAnAnswerAboutAnother() throws Exception {
    answer(200, v2Read(VALUE, 5));
    answer(404, "{\"errors\":[]}");
    answer(200, v2Read(VALUE, 6));
    VaultClient client = staticClient();

    assertThat(client.readVersion(V2, 5).orElseThrow().version()).isEqualTo(5);
    assertThat(taken().getPath()).isEqualTo("/v1/secret/data/dynatrace/app?version=5");
    assertThat(client.readVersion(V2, 7)).isEmpty();
    VaultException e = catchThrowableOfType(VaultException.class, () -> client.readVersion(V2, 5));
    assertThat(e.kind()).isEqualTo(VaultException.Kind.MALFORMED_RESPONSE);
    assertNoSecrets(e, VALUE, OTHER, ROOT);
  }

  @Test
  void readV1ReadsTheFlatMap() throws Exception {
    answer(
        200, "{\"lease_duration\":2764800,\"data\":{\"token\":\"" + VALUE + "\",\"port\":8080}}");

    KvSecret secret = staticClient().read(V1).orElseThrow();

    assertThat(taken().getPath()).isEqualTo("/v1/kv/dynatrace/app");
    assertThat(secret.version()).isZero();
    assertThat(secret.data()).isEqualTo(Map.of("token", VALUE, "port", "8080"));
  }

  // ---------------------------------------------------------------- KV v2 writes

  @Test
  void writeFieldV2IsOneMergePatchWithCas() throws Exception {
    answer(
        200,
        "{\"data\":{\"created_time\":\"2024-05-01T10:00:00Z\",\"deletion_time\":\"\",\"destroyed\":false,"
            + "\"version\":4}}");
    KvSecret expected = new KvSecret(Map.of("token", "old-value", "other", OTHER), 3);

    KvSecret written = staticClient().writeField(V2, "token", SecretValue.of(VALUE), expected);

    RecordedRequest patch = taken();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getPath()).isEqualTo("/v1/secret/data/dynatrace/app");
    assertThat(patch.getHeader("Content-Type")).isEqualTo("application/merge-patch+json");
    assertThat(body(patch))
        .isEqualTo(
            JSON.readTree("{\"data\":{\"token\":\"" + VALUE + "\"},\"options\":{\"cas\":3}}"));
    assertThat(written.version()).isEqualTo(4);
    assertThat(written.data()).isEqualTo(Map.of("token", VALUE, "other", OTHER));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRejectedV2WriteIsAConflictOnlyWhenTheMetadataShowsAnotherVersion() throws Exception {
    KvSecret expected = new KvSecret(Map.of("token", "old-value"), 3);
    // someone wrote version 4 in between
    answer(400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
    answer(200, metadata(4));
    // the same version: the 400 is about something else
    answer(400, "{\"errors\":[\"something else entirely\"]}");
    answer(200, metadata(3));
    VaultClient client = staticClient();

    VaultException conflict =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2, "token", SecretValue.of(VALUE), expected));
    VaultException bad =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2, "token", SecretValue.of(VALUE), expected));

    assertThat(conflict.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(bad.kind()).isEqualTo(VaultException.Kind.BAD_REQUEST);
    assertThat(bad.getMessage()).contains("something else entirely");
    taken();
    RecordedRequest metadataRead = taken();
    assertThat(metadataRead.getMethod()).isEqualTo("GET");
    assertThat(metadataRead.getPath()).isEqualTo("/v1/secret/metadata/dynatrace/app");
  }

  @Test
  void aV2PatchOnADeletedOrVanishedSecretIsAConflict() {
    KvSecret expected = new KvSecret(Map.of("token", "old-value"), 3);
    answer(
        404,
        "{\"data\":{\"deletion_time\":\"2024-05-02T10:00:00Z\",\"version\":3}}"); // current version
    // deleted
    answer(200, metadata(3));
    server.enqueue(
        new MockResponse().setResponseCode(404)); // the whole key is gone (metadata deleted)
    answer(404, "{\"errors\":[]}");
    VaultClient client = staticClient();

    assertThat(
            catchThrowableOfType(
                    VaultException.class,
                    () -> client.writeField(V2, "token", SecretValue.of(VALUE), expected))
                .kind())
        .isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(
            catchThrowableOfType(
                    VaultException.class,
                    () -> client.writeField(V2, "token", SecretValue.of(VALUE), expected))
                .kind())
        .isEqualTo(VaultException.Kind.CAS_CONFLICT);
  }

  @Test
  void whenTheMetadataCannotBeReadTheClientSaysSoInsteadOfGuessing() {
    answer(400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
    answer(403, "{\"errors\":[\"permission denied\"]}");

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () ->
                staticClient()
                    .writeField(V2, "token", SecretValue.of(VALUE), new KvSecret(Map.of(), 3)));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(e.getMessage())
        .startsWith("Vault metadata secret/dynatrace/app: HTTP 403 (permission denied)");
  }

  @Test
  void createFieldV2PostsWithCasZero() throws Exception {
    answer(200, "{\"data\":{\"version\":1}}");
    answer(400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
    answer(200, metadata(2));
    VaultClient client = staticClient();

    KvSecret created = client.createField(V2, "token", SecretValue.of(VALUE));
    VaultException exists =
        catchThrowableOfType(
            VaultException.class, () -> client.createField(V2, "token", SecretValue.of(VALUE)));

    RecordedRequest post = taken();
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getPath()).isEqualTo("/v1/secret/data/dynatrace/app");
    assertThat(post.getHeader("Content-Type")).startsWith("application/json");
    assertThat(body(post))
        .isEqualTo(
            JSON.readTree("{\"data\":{\"token\":\"" + VALUE + "\"},\"options\":{\"cas\":0}}"));
    assertThat(created).isEqualTo(new KvSecret(Map.of("token", VALUE), 1));
    assertThat(exists.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
  }

  @Test
  void aRejectedCreateOfAnAbsentKeyIsABadRequestNotAConflict() {
    answer(400, "{\"errors\":[\"no data provided\"]}");
    server.enqueue(new MockResponse().setResponseCode(404));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> staticClient().createField(V2, "token", SecretValue.of(VALUE)));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.BAD_REQUEST);
  }

  // ---------------------------------------------------------------- KV v1 writes

  @Test
  void writeFieldV1ReReadsComparesAndPutsTheMergedMap() throws Exception {
    answer(200, "{\"data\":{\"token\":\"old-value\",\"other\":\"" + OTHER + "\",\"port\":8080}}");
    server.enqueue(new MockResponse().setResponseCode(204));
    KvSecret expected =
        new KvSecret(Map.of("token", "old-value", "other", OTHER, "port", "8080"), 0);

    KvSecret written = staticClient().writeField(V1, "token", SecretValue.of(VALUE), expected);

    assertThat(taken().getPath()).isEqualTo("/v1/kv/dynatrace/app");
    RecordedRequest put = taken();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getPath()).isEqualTo("/v1/kv/dynatrace/app");
    assertThat(body(put))
        .isEqualTo(
            JSON.readTree(
                "{\"token\":\"" + VALUE + "\",\"other\":\"" + OTHER + "\",\"port\":8080}"));
    assertThat(written.data()).containsEntry("token", VALUE).containsEntry("other", OTHER);
  }

  @Test
  void writeFieldV1WritesNothingWhenTheSecretChangedOrVanished() {
    KvSecret expected = new KvSecret(Map.of("token", "old-value"), 0);
    answer(200, "{\"data\":{\"token\":\"someone-elses-value\"}}");
    answer(404, "{\"errors\":[]}");
    VaultClient client = staticClient();

    VaultException changed =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V1, "token", SecretValue.of(VALUE), expected));
    VaultException vanished =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V1, "token", SecretValue.of(VALUE), expected));

    assertThat(changed.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vanished.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertNoSecrets(changed, VALUE, "someone-elses-value", "old-value");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void statusesMapToKinds() {
    answer(400, "{\"errors\":[\"invalid request\"]}");
    answer(403, "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
    answer(503, "{\"errors\":[\"Vault is sealed\"]}");
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .setHeader("Retry-After", "7")
            .setBody(
                "{\"errors\":[\"request path \\\"secret/data/x\\\": rate limit quota exceeded\"]}"));
    answer(500, "<html>bad gateway</html>");
    answer(403, "{\"errors\":[\"preflight capability check returned 403\"]}");
    VaultClient client = staticClient();
    KvSecret expected = new KvSecret(Map.of(), 0);

    VaultException bad =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V1, "token", SecretValue.of(VALUE), expected));
    VaultException forbidden = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException sealed = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException limited = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException broken = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException preflight =
        catchThrowableOfType(
            VaultException.class, () -> client.resolveVersion("nope", "x", KvVersion.AUTO));

    assertThat(bad.kind()).isEqualTo(VaultException.Kind.BAD_REQUEST);
    assertThat(forbidden.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(forbidden.getMessage())
        .isEqualTo(
            "Vault read secret/dynatrace/app: HTTP 403 (1 error occurred: * permission denied)");
    assertThat(sealed.kind()).isEqualTo(VaultException.Kind.SEALED);
    assertThat(limited.kind()).isEqualTo(VaultException.Kind.RATE_LIMITED);
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(broken.kind()).isEqualTo(VaultException.Kind.SERVER_ERROR);
    assertThat(broken.getMessage()).isEqualTo("Vault read secret/dynatrace/app: HTTP 500");
    assertThat(preflight.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(server.getRequestCount()).as("a static token is never retried").isEqualTo(6);
    for (VaultException e :
        new VaultException[] {bad, forbidden, sealed, limited, broken, preflight}) {
      assertNoSecrets(e, ROOT, VALUE);
    }
  }

  @Test
  void noAnswerInTimeIsATimeoutAndADroppedConnectionIsIo() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    VaultClient client = staticClient();

    VaultException timeout = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException io = catchThrowableOfType(VaultException.class, () -> client.read(V2));

    assertThat(timeout.kind()).isEqualTo(VaultException.Kind.TIMEOUT);
    assertThat(io.kind()).isEqualTo(VaultException.Kind.IO);
    assertNoSecrets(timeout, ROOT);
    assertNoSecrets(io, ROOT);
  }

  @Test
  void errorTextEchoingTheTokenOrTheWrittenValueIsMasked() {
    String oddToken = "my-odd-vault-token-without-prefix";
    String oddValue = "an-odd-secret-value";
    answer(
        400,
        "{\"errors\":[\"token "
            + oddToken
            + " may not write "
            + oddValue
            + " nor "
            + VALUE
            + "\"]}");
    answer(200, metadata(3));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () ->
                client("", new StaticTokenAuth(SecretValue.of(oddToken)))
                    .writeField(V2, "token", SecretValue.of(oddValue), new KvSecret(Map.of(), 3)));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.BAD_REQUEST);
    assertNoSecrets(e, oddToken, oddValue, VALUE);
    assertThat(e.getMessage()).contains("token *** may not write ***");
  }

  // ---------------------------------------------------------------- auth

  private static String login(String token, long leaseSeconds) {
    return """
        {"data":null,"lease_duration":0,"auth":{"client_token":"%s","accessor":"a","policies":["default","rotator"],
         "lease_duration":%d,"renewable":true,"token_type":"service","orphan":true}}"""
        .formatted(token, leaseSeconds);
  }

  @Test
  void kubernetesLoginPostsRoleAndJwtAndReLogsInOnceOn403() throws Exception {
    SettableClock clock = new SettableClock();
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2ln";
    VaultClient client =
        client(
            "team-a/",
            LoginAuth.kubernetes("k8s-prod", "rotator", () -> SecretValue.of(jwt), clock));
    answer(200, login("hvs.LOGINONELOGINONELOGINONE", 3600));
    answer(403, "{\"errors\":[\"permission denied\"]}");
    answer(200, login("hvs.LOGINTWOLOGINTWOLOGINTWO", 3600));
    answer(200, v2Read(VALUE, 3));

    assertThat(client.read(V2)).isPresent();

    RecordedRequest firstLogin = taken();
    assertThat(firstLogin.getMethod()).isEqualTo("POST");
    assertThat(firstLogin.getPath()).isEqualTo("/v1/auth/k8s-prod/login");
    assertThat(firstLogin.getHeader("X-Vault-Token")).isNull();
    assertThat(firstLogin.getHeader("X-Vault-Namespace")).isEqualTo("team-a/");
    assertThat(body(firstLogin))
        .isEqualTo(JSON.readTree("{\"role\":\"rotator\",\"jwt\":\"" + jwt + "\"}"));
    assertThat(taken().getHeader("X-Vault-Token")).isEqualTo("hvs.LOGINONELOGINONELOGINONE");
    assertThat(taken().getPath()).isEqualTo("/v1/auth/k8s-prod/login");
    assertThat(taken().getHeader("X-Vault-Token")).isEqualTo("hvs.LOGINTWOLOGINTWOLOGINTWO");
  }

  @Test
  void aSecond403AfterTheReLoginIsForbidden() {
    VaultClient client =
        client(
            "",
            LoginAuth.kubernetes(
                "kubernetes", "rotator", () -> SecretValue.of("jwt-1234"), new SettableClock()));
    answer(200, login("hvs.LOGINONELOGINONELOGINONE", 3600));
    answer(403, "{\"errors\":[\"permission denied\"]}");
    answer(200, login("hvs.LOGINTWOLOGINTWOLOGINTWO", 3600));
    answer(403, "{\"errors\":[\"permission denied\"]}");

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(V2));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertNoSecrets(e, "hvs.LOGINONELOGINONELOGINONE", "hvs.LOGINTWOLOGINTWOLOGINTWO", "jwt-1234");
  }

  @Test
  void theLoginTokenIsCachedUntilEightyPercentOfItsLease() throws Exception {
    SettableClock clock = new SettableClock();
    VaultClient client =
        client("", LoginAuth.appRole("approle", "role-id-1", SecretValue.of("secret-id-1"), clock));
    answer(200, login("hvs.LOGINONELOGINONELOGINONE", 100));
    answer(404, "{\"errors\":[]}");
    answer(404, "{\"errors\":[]}");
    answer(200, login("hvs.LOGINTWOLOGINTWOLOGINTWO", 100));
    answer(404, "{\"errors\":[]}");

    client.read(V2);
    clock.advance(Duration.ofSeconds(79));
    client.read(V2);
    clock.advance(Duration.ofSeconds(2));
    client.read(V2);

    RecordedRequest login = taken();
    assertThat(login.getPath()).isEqualTo("/v1/auth/approle/login");
    assertThat(body(login))
        .isEqualTo(JSON.readTree("{\"role_id\":\"role-id-1\",\"secret_id\":\"secret-id-1\"}"));
    assertThat(taken().getHeader("X-Vault-Token")).isEqualTo("hvs.LOGINONELOGINONELOGINONE");
    assertThat(taken().getHeader("X-Vault-Token")).isEqualTo("hvs.LOGINONELOGINONELOGINONE");
    assertThat(taken().getPath()).isEqualTo("/v1/auth/approle/login");
    assertThat(taken().getHeader("X-Vault-Token")).isEqualTo("hvs.LOGINTWOLOGINTWOLOGINTWO");
  }

  @Test
  void aRefusedLoginIsAuthFailedWithItsStatusAndNoCredentials() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    VaultClient client =
        client(
            "",
            LoginAuth.kubernetes(
                "kubernetes", "rotator", () -> SecretValue.of(jwt), new SettableClock()));
    answer(400, "{\"errors\":[\"invalid role name \\\"rotator\\\"\"]}");
    answer(403, "{\"errors\":[\"permission denied: bad jwt " + jwt + "\"]}");
    answer(503, "{\"errors\":[\"Vault is sealed\"]}");

    VaultException badRole = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException denied = catchThrowableOfType(VaultException.class, () -> client.read(V2));
    VaultException sealed = catchThrowableOfType(VaultException.class, () -> client.read(V2));

    assertThat(badRole.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.getMessage()).contains("invalid role name \"rotator\"");
    assertThat(denied.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(sealed.kind()).isEqualTo(VaultException.Kind.SEALED);
    assertNoSecrets(denied, jwt);
    assertThat(server.getRequestCount()).as("no KV call without a token").isEqualTo(3);
  }

  @Test
  void authsNeverShowSecretsAndOnlyLoginsCanReLogin() {
    assertThat(new StaticTokenAuth(SecretValue.of(ROOT)).canRelogin()).isFalse();
    LoginAuth kubernetes =
        LoginAuth.kubernetes(
            "kubernetes", "rotator", () -> SecretValue.of("jwt-1234"), Clock.systemUTC());
    LoginAuth appRole =
        LoginAuth.appRole("approle", "role-id-1", SecretValue.of("secret-id-1"), Clock.systemUTC());
    assertThat(kubernetes.canRelogin()).isTrue();
    assertThat(appRole.canRelogin()).isTrue();
    assertThat(kubernetes + " " + appRole + " " + new StaticTokenAuth(SecretValue.of(ROOT)))
        .doesNotContain("jwt-1234")
        .doesNotContain("secret-id-1")
        .doesNotContain(ROOT);
  }
}
