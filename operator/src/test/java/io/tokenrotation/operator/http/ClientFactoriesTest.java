package io.tokenrotation.operator.http;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvVersion;
import io.tokenrotation.operator.vault.StaticTokenAuth;
import io.tokenrotation.operator.vault.VaultAuth;
import io.tokenrotation.operator.vault.VaultClient;
import io.tokenrotation.operator.vault.VaultClients;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DynatraceClients} and {@link VaultClients}: cached per key, one limiter per environment,
 * one pool.
 */
class ClientFactoriesTest {
  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofSeconds(10));
  private final SettableClock clock = new SettableClock();
  private DynatraceSimulator dynatrace;
  private DynatraceSimulator otherDynatrace;
  private VaultSimulator vault;
  private String tokenA;
  private String tokenB;
  private String otherToken;

  @BeforeEach
  void start() {
    clock.fix(Instant.parse("2030-01-01T00:00:00Z"));
    dynatrace = DynatraceSimulator.start(0);
    otherDynatrace = DynatraceSimulator.start(0);
    List<String> scopes = List.of("apiTokens.read", "apiTokens.write");
    tokenA = dynatrace.createToken("a", scopes, "a@example.com", null).token();
    tokenB = dynatrace.createToken("b", scopes, "b@example.com", null).token();
    otherToken = otherDynatrace.createToken("o", scopes, "o@example.com", null).token();
    vault = VaultSimulator.start(0);
  }

  @AfterEach
  void stop() {
    dynatrace.close();
    otherDynatrace.close();
    vault.close();
  }

  @Test
  void oneDynatraceClientPerEnvironmentAndToken() {
    DynatraceClients clients =
        new DynatraceClients(http, DynatraceLimits.NONE, clock, UpstreamCallListener.NONE);
    DynatraceClient a = clients.forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA));

    assertThat(clients.forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA))).isSameAs(a);
    assertThat(
            clients.forEnvironment(dynatrace.baseUrl() + "//", SecretValue.of(new String(tokenA))))
        .isSameAs(a);
    assertThat(clients.forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenB))).isNotSameAs(a);
    assertThat(clients.forEnvironment(otherDynatrace.baseUrl(), SecretValue.of(tokenA)))
        .isNotSameAs(a);
    assertThat(
            new DynatraceClients(http, DynatraceLimits.NONE, clock, UpstreamCallListener.NONE)
                .forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA)))
        .isNotSameAs(a);
  }

  @Test
  void oneRateLimiterPerEnvironmentWhateverTheToken() {
    DynatraceClients clients =
        new DynatraceClients(http, new DynatraceLimits(0, 1), clock, UpstreamCallListener.NONE);
    DynatraceClient a = clients.forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA));
    DynatraceClient b = clients.forEnvironment(dynatrace.baseUrl() + "/", SecretValue.of(tokenB));
    DynatraceClient other =
        clients.forEnvironment(otherDynatrace.baseUrl(), SecretValue.of(otherToken));

    assertThat(a.list(null)).hasSize(2);
    DynatraceException refused = catchThrowableOfType(DynatraceException.class, () -> b.list(null));
    assertThat(other.list(null)).hasSize(1);

    assertThat(refused.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(refused.status()).isZero();
    assertThat(refused.retryAfter()).contains(Duration.ofMinutes(1));
    assertNoSecrets(refused, tokenA, tokenB);
    assertThat(dynatrace.journal().size()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(b.list(null)).hasSize(2);
  }

  @Test
  void noLimitWhenRequestsPerMinuteIsZero() {
    DynatraceClients clients =
        new DynatraceClients(http, DynatraceLimits.NONE, clock, UpstreamCallListener.NONE);
    DynatraceClient a = clients.forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA));
    for (int i = 0; i < 30; i++) {
      a.list(null);
    }
    assertThat(dynatrace.journal().size()).isEqualTo(30);
  }

  @Test
  void oneVaultClientPerConnectionKey() {
    VaultClients clients = new VaultClients(http, UpstreamCallListener.NONE);
    AtomicInteger authsMade = new AtomicInteger();
    Supplier<VaultAuth> auth =
        () -> {
          authsMade.incrementAndGet();
          return new StaticTokenAuth(SecretValue.of(vault.rootToken()));
        };
    String address = vault.baseUrl();

    VaultClient client = clients.forConnection(address, "", "token:abc", auth, Optional.empty());

    assertThat(clients.forConnection(address, "", "token:abc", auth, Optional.empty()))
        .isSameAs(client);
    assertThat(clients.forConnection(address + "/", "", "token:abc", auth, Optional.empty()))
        .isSameAs(client);
    assertThat(authsMade).hasValue(1);
    assertThat(clients.forConnection(address, "team-a", "token:abc", auth, Optional.empty()))
        .isNotSameAs(client);
    assertThat(clients.forConnection(address, "", "token:def", auth, Optional.empty()))
        .isNotSameAs(client);
    assertThat(
            clients.forConnection("http://127.0.0.2:8200", "", "token:abc", auth, Optional.empty()))
        .isNotSameAs(client);
    assertThat(authsMade).hasValue(4);

    clients.clear();
    assertThat(clients.forConnection(address, "", "token:abc", auth, Optional.empty()))
        .isNotSameAs(client);
  }

  @Test
  void aCaBundleIsPartOfTheVaultKeyAndClientsShareOnePool() throws Exception {
    VaultClients clients = new VaultClients(http, UpstreamCallListener.NONE);
    Supplier<VaultAuth> auth = () -> new StaticTokenAuth(SecretValue.of(vault.rootToken()));
    // Any parsable certificate will do here: the simulator speaks plain HTTP, the CA only matters
    // for https.
    String ca;
    try (var in = getClass().getResourceAsStream("/tls/test-ca.pem")) {
      ca = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    VaultClient plain = clients.forConnection(vault.baseUrl(), "", "root", auth, Optional.empty());
    VaultClient withCa =
        clients.forConnection(vault.baseUrl(), "", "root", auth, Optional.of(SecretValue.of(ca)));

    assertThat(withCa).isNotSameAs(plain);
    assertThat(
            clients.forConnection(
                vault.baseUrl(), "", "root", auth, Optional.of(SecretValue.of(ca))))
        .isSameAs(withCa);

    vault.writeKv("", "secret", "app", Map.of("token", "x"));
    KvLocation app = new KvLocation("secret", "app", KvVersion.V2);
    assertThat(plain.read(app)).isPresent();
    assertThat(withCa.read(app)).isPresent();
    new DynatraceClients(http, DynatraceLimits.NONE, clock, UpstreamCallListener.NONE)
        .forEnvironment(dynatrace.baseUrl(), SecretValue.of(tokenA))
        .list(null);

    // Three calls through three clients, all pooled in the shared pool: one connection per server.
    assertThat(http.shared().connectionPool().connectionCount()).isEqualTo(2);
    assertThat(http.trusting(ca).connectionPool()).isSameAs(http.shared().connectionPool());
  }
}
