package io.tokenrotation.operator.vault;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.UnsignedClaimsJwtVerifier;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoginAuth} (Kubernetes and AppRole) through {@link OkHttpVaultClient} against the Vault
 * simulator.
 */
class LoginAuthTest {
  private static final String SECRET = "dt0c01.OLDOLDOLDOLDOLDOLDOLDOLDOL." + "O".repeat(64);
  private static final ServiceAccountIdentity OPERATOR =
      new ServiceAccountIdentity("ops", "token-rotation-operator", "uid-1");
  private static final KvLocation APP = new KvLocation("secret", "dynatrace/app", KvVersion.V2);
  private static final String K8S_LOGIN = "/v1/auth/kubernetes/login";
  private static final String APP_DATA = "/v1/secret/data/dynatrace/app";

  /** The simulator's clock: moving it expires login tokens and JWTs. */
  private final SettableClock vaultClock = new SettableClock();

  /** The client's clock, independent: moving it makes LoginAuth refresh early. */
  private final SettableClock clientClock = new SettableClock();

  private final AtomicInteger jwtsIssued = new AtomicInteger();
  private final Supplier<SecretValue> jwt =
      () -> {
        jwtsIssued.incrementAndGet();
        return SecretValue.of(
            UnsignedClaimsJwtVerifier.unsignedToken(
                OPERATOR, vaultClock.instant().plus(Duration.ofHours(1)), List.of("vault")));
      };
  private VaultSimulator vault;
  private HttpClients http;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0, vaultClock);
    vault.putPolicy(
        "",
        "rotator",
        Map.of("secret/data/*", Set.of("read", "patch"), "secret/metadata/*", Set.of("read")));
    vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("token-rotation-operator"),
        Set.of("ops"),
        Set.of("rotator"),
        Duration.ofHours(1));
    vault.writeKv("", "secret", "dynatrace/app", Map.of("token", SECRET));
    http = new HttpClients(Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultClient client(VaultAuth auth) {
    return new OkHttpVaultClient(
        http.shared(), vault.baseUrl(), "", auth, UpstreamCallListener.NONE);
  }

  private long count(String method, String path) {
    return vault.journal().count(method, path);
  }

  @Test
  void kubernetesLoginIsCachedAcrossCalls() {
    VaultClient client = client(LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock));

    assertThat(client.resolveVersion("secret", "dynatrace/app", KvVersion.AUTO))
        .isEqualTo(KvVersion.V2);
    for (int i = 0; i < 5; i++) {
      assertThat(client.read(APP).orElseThrow().data()).containsEntry("token", SECRET);
    }
    KvSecret current = client.read(APP).orElseThrow();
    client.writeField(APP, "token", SecretValue.of("dt0c01.NEW"), current);

    assertThat(count("POST", K8S_LOGIN)).isEqualTo(1);
    assertThat(jwtsIssued).hasValue(1);
    assertThat(count("GET", APP_DATA)).isEqualTo(6);
    assertThat(vault.journal().entries()).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
    // every call after the login ran as the login token, not as root
    assertThat(vault.journal().entries())
        .extracting(e -> e.principal())
        .doesNotContain(vault.rootTokenAccessor())
        .doesNotContainNull();
  }

  @Test
  void refreshesAfterEightyPercentOfTheLease() {
    VaultClient client = client(LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock));
    client.read(APP);
    clientClock.advance(Duration.ofMinutes(47));
    client.read(APP);
    assertThat(count("POST", K8S_LOGIN)).isEqualTo(1);

    clientClock.advance(Duration.ofMinutes(2)); // 49 min > 80% of 60 min
    client.read(APP);
    assertThat(count("POST", K8S_LOGIN)).isEqualTo(2);
    assertThat(count("GET", APP_DATA)).isEqualTo(3);
  }

  @Test
  void logsInAgainExactlyOnceWhenTheLoginTokenExpired() {
    VaultClient client = client(LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock));
    client.read(APP);
    vaultClock.advance(
        Duration.ofHours(2)); // Vault expired the token; the client still thinks it is fresh

    assertThat(client.read(APP).orElseThrow().data()).containsEntry("token", SECRET);

    assertThat(count("POST", K8S_LOGIN)).isEqualTo(2);
    assertThat(jwtsIssued).hasValue(2);
    assertThat(vault.journal().entries())
        .extracting(e -> e.method() + " " + e.path() + " " + e.status())
        .containsExactly(
            "POST " + K8S_LOGIN + " 200",
            "GET " + APP_DATA + " 200",
            "GET " + APP_DATA + " 403",
            "POST " + K8S_LOGIN + " 200",
            "GET " + APP_DATA + " 200");
    client.read(APP);
    assertThat(count("POST", K8S_LOGIN)).isEqualTo(2);
  }

  @Test
  void aPersistent403IsForbiddenAfterOneRelogin() {
    vault.kubernetesRole(
        "",
        "kubernetes",
        "powerless",
        Set.of("*"),
        Set.of("*"),
        Set.of("nothing"),
        Duration.ofHours(1));
    VaultClient client = client(LoginAuth.kubernetes("kubernetes", "powerless", jwt, clientClock));

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.FORBIDDEN);
    assertThat(count("POST", K8S_LOGIN)).isEqualTo(2);
    assertThat(count("GET", APP_DATA)).isEqualTo(2);
    assertNoSecrets(e, jwt.get().reveal(), SECRET);
  }

  @Test
  void aBadRoleIsAuthFailed() {
    VaultClient client =
        client(LoginAuth.kubernetes("kubernetes", "no-such-role", jwt, clientClock));

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.getMessage()).contains("auth/kubernetes");
    assertThat(count("GET", APP_DATA)).isZero();
    assertNoSecrets(e, jwt.get().reveal(), SECRET);
  }

  @Test
  void aServiceAccountOutsideTheRoleIsAuthFailed() {
    Supplier<SecretValue> stranger =
        () ->
            SecretValue.of(
                UnsignedClaimsJwtVerifier.unsignedToken(
                    new ServiceAccountIdentity("elsewhere", "intruder", "uid-2"),
                    vaultClock.instant().plus(Duration.ofHours(1)),
                    List.of()));
    VaultClient client =
        client(LoginAuth.kubernetes("kubernetes", "rotator", stranger, clientClock));

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertThat(e.status()).isEqualTo(403);
    assertNoSecrets(e, stranger.get().reveal());
  }

  @Test
  void anExpiredJwtIsAuthFailed() {
    Supplier<SecretValue> stale =
        () ->
            SecretValue.of(
                UnsignedClaimsJwtVerifier.unsignedToken(
                    OPERATOR, vaultClock.instant().minus(Duration.ofMinutes(1)), List.of()));

    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () ->
                client(LoginAuth.kubernetes("kubernetes", "rotator", stale, clientClock))
                    .read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertNoSecrets(e, stale.get().reveal());
  }

  @Test
  void appRoleLogin() {
    String secretId = "9f1c2e7a-secret-id-" + "x".repeat(20);
    vault.appRole("", "rotator", "role-id-1", secretId, Set.of("rotator"), Duration.ofMinutes(30));
    VaultClient client =
        client(LoginAuth.appRole("approle", "role-id-1", SecretValue.of(secretId), clientClock));

    assertThat(client.read(APP).orElseThrow().data()).containsEntry("token", SECRET);
    assertThat(client.read(APP)).isPresent();
    assertThat(count("POST", "/v1/auth/approle/login")).isEqualTo(1);

    String wrong = "wrong-secret-id-" + "y".repeat(20);
    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () ->
                client(
                        LoginAuth.appRole(
                            "approle", "role-id-1", SecretValue.of(wrong), clientClock))
                    .read(APP));
    assertThat(e.kind()).isEqualTo(VaultException.Kind.AUTH_FAILED);
    assertThat(e.status()).isEqualTo(400);
    assertNoSecrets(e, wrong, secretId, SECRET);
  }

  @Test
  void loginInANamespace() {
    vault.mountKv("team-a", "teamkv", 2);
    vault.writeKv("team-a", "teamkv", "app", Map.of("token", SECRET));
    vault.putPolicy("team-a", "rotator", Map.of("teamkv/data/*", Set.of("read")));
    vault.kubernetesRole(
        "team-a",
        "kubernetes",
        "rotator",
        Set.of("token-rotation-operator"),
        Set.of("ops"),
        Set.of("rotator"),
        Duration.ofHours(1));
    VaultClient client =
        new OkHttpVaultClient(
            http.shared(),
            vault.baseUrl(),
            "team-a",
            LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock),
            UpstreamCallListener.NONE);

    assertThat(client.read(new KvLocation("teamkv", "app", KvVersion.V2))).isPresent();
  }

  @Test
  void sealedDuringLogin() {
    vault.seal();
    VaultException e =
        catchThrowableOfType(
            VaultException.class,
            () ->
                client(LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock)).read(APP));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.kind()).isEqualTo(VaultException.Kind.SEALED);
    assertThat(e.transientFailure()).isTrue();
    assertNoSecrets(e, jwt.get().reveal());
  }

  @Test
  void anUnavailableLoginIsAServerErrorNotAnAuthFailure() {
    vault.faults().failNext(1, "POST", K8S_LOGIN, 500);
    VaultClient client = client(LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock));

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.SERVER_ERROR);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.transientFailure()).isTrue();
    assertNoSecrets(e, jwt.get().reveal());
    assertThat(client.read(APP)).isPresent();
  }

  @Test
  void aStalledLoginIsATimeout() {
    HttpClients impatient = new HttpClients(Duration.ofMillis(500), Duration.ofMillis(300));
    vault.faults().stallNext(1, "POST", K8S_LOGIN, Duration.ofSeconds(2));
    VaultClient client =
        new OkHttpVaultClient(
            impatient.shared(),
            vault.baseUrl(),
            "",
            LoginAuth.kubernetes("kubernetes", "rotator", jwt, clientClock),
            UpstreamCallListener.NONE);

    VaultException e = catchThrowableOfType(VaultException.class, () -> client.read(APP));

    assertThat(e.kind()).isEqualTo(VaultException.Kind.TIMEOUT);
    assertNoSecrets(e, jwt.get().reveal());
    assertThat(client.read(APP)).isPresent();
  }
}
