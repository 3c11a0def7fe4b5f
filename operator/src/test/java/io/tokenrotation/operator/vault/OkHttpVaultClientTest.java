package io.tokenrotation.operator.vault;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OkHttpVaultClient} with a static token over real HTTP against the Vault simulator: KV
 * v1/v2 and errors.
 */
class OkHttpVaultClientTest {
  private static final String NEW_SECRET = "dt0c01.NEWNEWNEWNEWNEWNEWNEWNEWNE." + "N".repeat(64);
  private static final String OLD_SECRET = "dt0c01.OLDOLDOLDOLDOLDOLDOLDOLDOL." + "O".repeat(64);
  private static final KvLocation V2_APP = new KvLocation("secret", "dynatrace/app", KvVersion.V2);
  private static final KvLocation V1_APP = new KvLocation("kv", "dynatrace/app", KvVersion.V1);

  private final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final UpstreamCallListener listener =
      (service, operation, outcome) -> outcomes.add(service + " " + operation + " " + outcome);
  private VaultSimulator vault;
  private HttpClients http;
  private String token;
  private VaultClient client;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    vault.mountKv("", "kv", 1);
    vault.putPolicy(
        "",
        "rotator",
        Map.of(
            "secret/data/*", Set.of("create", "read", "update", "patch", "delete"),
            "secret/metadata/*", Set.of("read"),
            "kv/*", Set.of("create", "read", "update", "delete")));
    token = vault.createToken("", Set.of("rotator"), Duration.ZERO, false);
    http = new HttpClients(Duration.ofSeconds(2), Duration.ofSeconds(10));
    client = client(token, "");
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultClient client(String vaultToken, String namespace) {
    return new OkHttpVaultClient(
        http.shared(),
        vault.baseUrl() + "/",
        namespace,
        new StaticTokenAuth(SecretValue.of(vaultToken)),
        listener);
  }

  /** A raw call with the root token, as another writer would make it. */
  private int raw(String method, String path, String json) throws IOException {
    RequestBody body =
        json == null ? null : RequestBody.create(json, MediaType.get("application/json"));
    Request request =
        new Request.Builder()
            .url(vault.baseUrl() + "/v1/" + path)
            .header("X-Vault-Token", vault.rootToken())
            .method(method, body)
            .build();
    try (Response response = http.shared().newCall(request).execute()) {
      return response.code();
    }
  }

  private long count(String method, String pathRegex) {
    return vault.journal().count(method, pathRegex);
  }

  // ---------------------------------------------------------------- version detection

  @Test
  void autoDetectsV2AndV1AndCachesPerMount() {
    assertThat(client.resolveVersion("secret", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    assertThat(client.resolveVersion("kv", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V1);
    assertThat(count("GET", "/v1/sys/internal/ui/mounts/.*")).isEqualTo(2);
    assertThat(vault.journal().entries())
        .extracting(JournalEntry::path)
        .containsExactly(
            "/v1/sys/internal/ui/mounts/secret/dynatrace/app",
            "/v1/sys/internal/ui/mounts/kv/dynatrace/app");

    assertThat(client.resolveVersion("secret", "dynatrace/other", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    assertThat(client.resolveVersion("kv", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V1);
    assertThat(client.resolveVersion("secret", "x", KvVersion.V1)).isEqualTo(KvVersion.V1);
    assertThat(client.resolveVersion("nowhere", "x", KvVersion.V2)).isEqualTo(KvVersion.V2);
    assertThat(vault.journal().size()).isEqualTo(2);
  }

  @Test
  void autoDetectionOfAnUnknownMountIsForbiddenAndNotCached() {
    VaultException e =
        catchThrowableOfType(
            VaultException.class, () -> client.resolveVersion("nowhere", "x", KvVersion.AUTO));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertNoSecrets(e, token);
    vault.mountKv("", "nowhere", 2);
    vault.putPolicy("", "rotator", Map.of("nowhere/data/*", Set.of("read")));
    assertThat(client.resolveVersion("nowhere", "x", KvVersion.AUTO)).isEqualTo(KvVersion.V2);
  }

  @Test
  void autoDetectionTreats404AsV1() {
    vault.faults().failNext(1, "GET", "/v1/sys/internal/ui/mounts/.*", 404);
    assertThat(client.resolveVersion("secret", "x", KvVersion.AUTO)).isEqualTo(KvVersion.V1);
  }

  // ---------------------------------------------------------------- read

  @Test
  void readsV2PresentAbsentAndSoftDeleted() throws IOException {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-b"));

    KvSecret secret = client.read(V2_APP).orElseThrow();

    assertThat(secret.version()).isEqualTo(2);
    assertThat(secret.data())
        .containsExactlyInAnyOrderEntriesOf(Map.of("token", OLD_SECRET, "owner", "team-b"));
    assertThat(secret.field("token")).contains(SecretValue.of(OLD_SECRET));
    assertThat(secret.field("missing")).isEmpty();
    assertThat(secret.toString()).doesNotContain(OLD_SECRET);
    assertThat(client.read(new KvLocation("secret", "dynatrace/absent", KvVersion.V2))).isEmpty();

    assertThat(raw("DELETE", "secret/data/dynatrace/app", null)).isEqualTo(204);
    assertThat(client.read(V2_APP)).isEmpty();
  }

  @Test
  void readsAPastV2VersionAndNothingForOneThatIsGoneOrNeverExisted() throws IOException {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", NEW_SECRET, "owner", "team-a"));
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-b"));

    KvSecret second = client.readVersion(V2_APP, 2).orElseThrow();

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.field("token")).contains(SecretValue.of(NEW_SECRET));
    assertThat(client.readVersion(V2_APP, 4)).as("never written").isEmpty();
    assertThat(client.readVersion(new KvLocation("secret", "dynatrace/absent", KvVersion.V2), 1))
        .isEmpty();
    assertThat(raw("POST", "secret/delete/dynatrace/app", "{\"versions\":[2]}")).isEqualTo(204);
    assertThat(client.readVersion(V2_APP, 2)).as("soft-deleted: its data is gone").isEmpty();
    assertThat(client.readVersion(V2_APP, 1).orElseThrow().field("token"))
        .contains(SecretValue.of(OLD_SECRET));
    assertThat(vault.journal().entries())
        .extracting(JournalEntry::query)
        .contains("version=2", "version=4");
  }

  @Test
  void readsV1PresentAndAbsent() {
    vault.writeKv("", "kv", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));

    KvSecret secret = client.read(V1_APP).orElseThrow();

    assertThat(secret.version()).isZero();
    assertThat(secret.data())
        .containsExactlyInAnyOrderEntriesOf(Map.of("token", OLD_SECRET, "owner", "team-a"));
    assertThat(client.read(new KvLocation("kv", "dynatrace/absent", KvVersion.V1))).isEmpty();
    assertThat(vault.journal().entries())
        .extracting(JournalEntry::path)
        .containsExactly("/v1/kv/dynatrace/app", "/v1/kv/dynatrace/absent");
  }

  // ---------------------------------------------------------------- writeField v2

  @Test
  void writeFieldV2PatchesOneFieldAndKeepsTheOthers() {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    KvSecret read = client.read(V2_APP).orElseThrow();

    KvSecret written = client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read);

    assertThat(written.version()).isEqualTo(2);
    assertThat(written.data())
        .containsExactlyInAnyOrderEntriesOf(Map.of("token", NEW_SECRET, "owner", "team-a"));
    assertThat(vault.readKv("", "secret", "dynatrace/app"))
        .contains(Map.of("token", NEW_SECRET, "owner", "team-a"));
    assertThat(vault.currentVersion("", "secret", "dynatrace/app")).isEqualTo(2);
    assertThat(count("PATCH", "/v1/secret/data/dynatrace/app")).isEqualTo(1);
    assertThat(count("PUT", ".*") + count("POST", ".*")).isZero();
    assertThat(outcomes).containsExactly("vault read 200", "vault patch 200");

    KvSecret again = client.writeField(V2_APP, "owner", SecretValue.of("team-c"), written);
    assertThat(again.version()).isEqualTo(3);
    assertThat(vault.readKv("", "secret", "dynatrace/app"))
        .contains(Map.of("token", NEW_SECRET, "owner", "team-c"));
  }

  @Test
  void writeFieldV2ConflictsWhenSomeoneWroteInBetween() {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    KvSecret read = client.read(V2_APP).orElseThrow();
    vault.writeKv(
        "", "secret", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "someone-else"));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(e.transientFailure()).isFalse();
    assertThat(vault.readKv("", "secret", "dynatrace/app"))
        .contains(Map.of("token", OLD_SECRET, "owner", "someone-else"));
    assertThat(vault.currentVersion("", "secret", "dynatrace/app")).isEqualTo(2);
    assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
  }

  @Test
  void writeFieldV2ConflictsWhenTheCurrentVersionWasDeleted() throws IOException {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    KvSecret read = client.read(V2_APP).orElseThrow();
    assertThat(raw("DELETE", "secret/data/dynatrace/app", null)).isEqualTo(204);

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.readKv("", "secret", "dynatrace/app")).isEmpty();
    assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
  }

  @Test
  void writeFieldV2ConflictsWhenTheSecretWasDestroyedWithAllItsMetadata() throws IOException {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    KvSecret read = client.read(V2_APP).orElseThrow();
    assertThat(raw("DELETE", "secret/metadata/dynatrace/app", null)).isEqualTo(204);

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.currentVersion("", "secret", "dynatrace/app")).isZero();
    assertNoSecrets(e, token, NEW_SECRET);
  }

  @Test
  void writeFieldV2OtherBadRequestIsNotAConflict() {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    KvSecret read = client.read(V2_APP).orElseThrow();
    vault
        .faults()
        .failNext(
            1, "PATCH", "/v1/secret/data/.*", 400, "{\"errors\":[\"something else\"]}", Map.of());

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.BAD_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains("something else");
  }

  // ---------------------------------------------------------------- writeField v1

  @Test
  void writeFieldV1KeepsOtherFields() {
    vault.writeKv("", "kv", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    KvSecret read = client.read(V1_APP).orElseThrow();

    KvSecret written = client.writeField(V1_APP, "token", SecretValue.of(NEW_SECRET), read);

    assertThat(written.version()).isZero();
    assertThat(written.data())
        .containsExactlyInAnyOrderEntriesOf(Map.of("token", NEW_SECRET, "owner", "team-a"));
    assertThat(vault.readKv("", "kv", "dynatrace/app"))
        .contains(Map.of("token", NEW_SECRET, "owner", "team-a"));
    assertThat(vault.journal().entries())
        .extracting(JournalEntry::method)
        .containsExactly("GET", "GET", "PUT");
  }

  @Test
  void writeFieldV1DetectsAConcurrentChange() {
    vault.writeKv("", "kv", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "team-a"));
    KvSecret read = client.read(V1_APP).orElseThrow();
    vault.writeKv("", "kv", "dynatrace/app", Map.of("token", OLD_SECRET, "owner", "someone-else"));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V1_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.readKv("", "kv", "dynatrace/app"))
        .contains(Map.of("token", OLD_SECRET, "owner", "someone-else"));
    assertThat(count("PUT", ".*")).isZero();
    assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
  }

  @Test
  void writeFieldV1DetectsADeletion() throws IOException {
    vault.writeKv("", "kv", "dynatrace/app", Map.of("token", OLD_SECRET));
    KvSecret read = client.read(V1_APP).orElseThrow();
    assertThat(raw("DELETE", "kv/dynatrace/app", null)).isEqualTo(204);

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.writeField(V1_APP, "token", SecretValue.of(NEW_SECRET), read));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.readKv("", "kv", "dynatrace/app")).isEmpty();
  }

  // ---------------------------------------------------------------- createField

  @Test
  void createFieldV2CreatesOnlyIfAbsent() {
    KvSecret created = client.createField(V2_APP, "token", SecretValue.of(NEW_SECRET));

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.data()).containsExactly(Map.entry("token", NEW_SECRET));
    assertThat(vault.readKv("", "secret", "dynatrace/app")).contains(Map.of("token", NEW_SECRET));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.createField(V2_APP, "token", SecretValue.of(OLD_SECRET)));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.readKv("", "secret", "dynatrace/app")).contains(Map.of("token", NEW_SECRET));
    assertThat(vault.currentVersion("", "secret", "dynatrace/app")).isEqualTo(1);
    assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
  }

  @Test
  void createFieldV1CreatesOnlyIfAbsent() {
    KvSecret created = client.createField(V1_APP, "token", SecretValue.of(NEW_SECRET));

    assertThat(created.data()).containsExactly(Map.entry("token", NEW_SECRET));
    assertThat(vault.readKv("", "kv", "dynatrace/app")).contains(Map.of("token", NEW_SECRET));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () -> client.createField(V1_APP, "token", SecretValue.of(OLD_SECRET)));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.CAS_CONFLICT);
    assertThat(vault.readKv("", "kv", "dynatrace/app")).contains(Map.of("token", NEW_SECRET));
    assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
  }

  // ---------------------------------------------------------------- namespaces and ACL

  @Test
  void aMountInANamespaceWorksOnlyWithTheNamespaceSet() {
    vault.mountKv("team-a", "teamkv", 2);
    vault.writeKv("team-a", "teamkv", "dynatrace/app", Map.of("token", OLD_SECRET));
    vault.putPolicy(
        "team-a",
        "rotator",
        Map.of("teamkv/data/*", Set.of("read", "patch"), "teamkv/metadata/*", Set.of("read")));
    String teamToken = vault.createToken("team-a", Set.of("rotator"), Duration.ZERO, false);
    KvLocation location = new KvLocation("teamkv", "dynatrace/app", KvVersion.V2);

    VaultClient namespaced = client(teamToken, "team-a/");
    assertThat(namespaced.resolveVersion("teamkv", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    KvSecret read = namespaced.read(location).orElseThrow();
    assertThat(read.data()).containsExactly(Map.entry("token", OLD_SECRET));
    assertThat(namespaced.writeField(location, "token", SecretValue.of(NEW_SECRET), read).version())
        .isEqualTo(2);
    assertThat(vault.readKv("team-a", "teamkv", "dynatrace/app"))
        .contains(Map.of("token", NEW_SECRET));

    VaultClient rootNamespace = client(teamToken, "");
    VaultException e =
        catchThrowableOfType(VaultException.class, () -> rootNamespace.read(location));
    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertNoSecrets(e, teamToken);
    VaultException detect =
        catchThrowableOfType(
            VaultException.class,
            () -> client(teamToken, "").resolveVersion("teamkv", "dynatrace/app", KvVersion.AUTO));
    assertThat(detect.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);

    // The root token is valid everywhere, but without the namespace the mount does not exist (404:
    // nothing there).
    assertThat(client(vault.rootToken(), "").read(location)).isEmpty();
    assertThat(client(vault.rootToken(), "team-a").read(location)).isPresent();
  }

  @Test
  void aTokenLackingThePolicyIsForbiddenWithoutRetry() {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    vault.putPolicy("", "elsewhere", Map.of("secret/data/other/*", Set.of("read")));
    String weak = vault.createToken("", Set.of("elsewhere"), Duration.ZERO, false);

    VaultException e =
        catchThrowableOfType(VaultException.class, () -> client(weak, "").read(V2_APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.transientFailure()).isFalse();
    assertThat(count("GET", "/v1/secret/data/dynatrace/app")).isEqualTo(1);
    assertNoSecrets(e, weak, OLD_SECRET);
  }

  @Test
  void anUnknownTokenIsForbidden() {
    String unknown = "hvs.ABCDEFGHIJKLMNOPQRSTUVWX";
    VaultException e =
        catchThrowableOfType(VaultException.class, () -> client(unknown, "").read(V2_APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertNoSecrets(e, unknown);
  }

  // ---------------------------------------------------------------- availability

  @Test
  void sealedIsSealed() {
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    KvSecret read = client.read(V2_APP).orElseThrow();
    vault.seal();

    for (Runnable call :
        List.<Runnable>of(
            () -> client.read(V2_APP),
            () -> client.writeField(V2_APP, "token", SecretValue.of(NEW_SECRET), read),
            () -> client.resolveVersion("kv", "x", KvVersion.AUTO))) {
      VaultException e = catchThrowableOfType(VaultException.class, call::run);
      assertThat(e.kind()).isEqualTo(VaultException.Kind.SEALED);
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.transientFailure()).isTrue();
      assertNoSecrets(e, token, NEW_SECRET, OLD_SECRET);
    }
    vault.unseal();
    assertThat(client.read(V2_APP)).isPresent();
  }

  @Test
  void serverErrorAndRateLimit() {
    vault.faults().failNext(1, "GET", "/v1/secret/data/.*", 500);
    vault
        .faults()
        .failNext(
            1,
            "GET",
            "/v1/secret/data/.*",
            429,
            "{\"errors\":[\"rate limit quota exceeded\"]}",
            Map.of("Retry-After", "12"));
    vault.faults().failNext(1, "GET", "/v1/secret/data/.*", 502);

    VaultException e500 = catchThrowableOfType(VaultException.class, () -> client.read(V2_APP));
    VaultException e429 = catchThrowableOfType(VaultException.class, () -> client.read(V2_APP));
    VaultException e502 = catchThrowableOfType(VaultException.class, () -> client.read(V2_APP));

    assertThat(e500.kind()).isEqualTo(VaultException.Kind.SERVER_ERROR);
    assertThat(e500.status()).isEqualTo(500);
    assertThat(e429.kind()).isEqualTo(VaultException.Kind.RATE_LIMITED);
    assertThat(e429.retryAfter()).contains(Duration.ofSeconds(12));
    assertThat(e502.kind()).isEqualTo(VaultException.Kind.SERVER_ERROR);
    for (VaultException e : List.of(e500, e429, e502)) {
      assertThat(e.transientFailure()).isTrue();
      assertNoSecrets(e, token);
    }
    assertThat(client.read(V2_APP)).isEmpty();
  }

  @Test
  void aStalledAnswerIsATimeout() {
    HttpClients impatient = new HttpClients(Duration.ofMillis(500), Duration.ofMillis(300));
    VaultClient slow =
        new OkHttpVaultClient(
            impatient.shared(),
            vault.baseUrl(),
            "",
            new StaticTokenAuth(SecretValue.of(token)),
            listener);
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", OLD_SECRET));
    vault.faults().stallNext(1, "GET", "/v1/secret/data/.*", Duration.ofSeconds(2));

    long started = System.nanoTime();
    VaultException e = catchThrowableOfType(VaultException.class, () -> slow.read(V2_APP));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
    assertThat(e.kind()).isEqualTo(VaultException.Kind.TIMEOUT);
    assertThat(e.status()).isZero();
    assertThat(e.transientFailure()).isTrue();
    assertThat(outcomes).contains("vault read timeout");
    assertNoSecrets(e, token, OLD_SECRET);
  }

  @Test
  void aDroppedConnectionIsIo() {
    vault.faults().dropNext(1, "GET", "/v1/secret/data/.*");

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(V2_APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.IO);
    assertThat(e.transientFailure()).isTrue();
    assertNoSecrets(e, token);
  }

  @Test
  void toStringShowsNoToken() {
    assertThat(client(token, "team-a").toString()).doesNotContain(token).contains("ns=team-a");
  }
}
