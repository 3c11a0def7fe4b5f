package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.DebugLogs;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Invariant 5: no secret in any output. Runs rotations, retries, stalls, a bootstrap, Kubernetes
 * auth and a deletion with every operator log line captured at DEBUG, then scans logs, Events and
 * the TokenRotations as {@code kubectl get -o yaml} shows them for Dynatrace token secrets, Vault
 * tokens and service-account JWTs.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
@TestWorlds.WithoutRootTokenSecret // the test grants a Vault token with a policy of its own
class SecretLeakIT {
  private static final Pattern DYNATRACE_SECRET =
      Pattern.compile("dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");
  private static final Pattern VAULT_TOKEN = Pattern.compile("hv[sb]\\.[A-Za-z0-9_-]{20,}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

  private ListAppender<ILoggingEvent> logs;

  /**
   * Captures every log line at DEBUG from before the world starts: the test takes the world as its
   * parameter, which is resolved after this ran.
   */
  @BeforeEach
  void captureLogs() {
    LoggerContext context = DebugLogs.context();
    logs = new ListAppender<>();
    logs.setContext(context);
    logs.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
    DebugLogs.acquire();
  }

  @AfterEach
  void stopCapturing() {
    LoggerContext context = DebugLogs.context();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    DebugLogs.release();
  }

  @Test
  void noTokenSecretOrVaultTokenAppearsInLogsEventsOrStatus(TestWorld world) {
    world.vault.putPolicy(
        "",
        "rotator",
        Map.of("secret/data/dynatrace/*", Set.of("read", "patch", "update", "create")));
    world.vault.putPolicy("", "other-team", Map.of("secret/data/other/*", Set.of("read")));
    String vaultToken = world.vault.createToken("", Set.of("rotator"), Duration.ZERO, false);
    String limitedVaultToken =
        world.vault.createToken("", Set.of("other-team"), Duration.ZERO, false);
    world.secret(Resources.VAULT_TOKEN_SECRET, Map.of("token", vaultToken));
    world.secret("limited-vault-token", Map.of("token", limitedVaultToken));
    world.vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("token-rotator"),
        Set.of(TestWorld.NAMESPACE),
        Set.of("rotator"),
        Duration.ofMinutes(10));
    world.serviceAccount("token-rotator");
    // a well-formed management token Dynatrace no longer knows: 401 answers
    IssuedToken revoked =
        world.dynatrace.createToken("revoked", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    String master =
        world.vault.readKv("", "secret", SeedState.MASTER_PATH).orElseThrow().get("token");
    assertThat(world.dynatraceApi("DELETE", "/api/v2/apiTokens/" + revoked.id(), master, null))
        .isEqualTo(204);
    world.secret("revoked-dt", Map.of("token", revoked.token()));
    List<String> knownSecrets =
        new ArrayList<>(List.of(vaultToken, limitedVaultToken, master, revoked.token()));
    knownSecrets.add(world.vaultToken("dynatrace/automation_script1"));
    knownSecrets.add(world.vaultToken("dynatrace/automation_script2"));
    world.startOperator();

    // rotation with transient failures (retried), a Vault CAS write, retirement after the grace
    // period
    world.dynatrace.faults().failNext(1, "POST", "/api/v2/apiTokens", 503);
    world.apply(rotation(world, "script1", "dynatrace/automation_script1", "1h"));
    // Kubernetes auth, then deletion with Revoke
    TokenRotation script2 =
        Resources.withKubernetesAuth(
            rotation(world, "script2", "dynatrace/automation_script2", "1h"),
            "rotator",
            "token-rotator");
    script2.getSpec().setDeletionPolicy(DeletionPolicy.Revoke);
    world.apply(script2);
    // bootstrap
    TokenRotation fresh = rotation(world, "fresh", "dynatrace/fresh", "24h");
    NewTokenSpec newToken = new NewTokenSpec();
    newToken.setScopes(List.of("ReadConfig"));
    fresh.getSpec().setNewToken(newToken);
    world.apply(fresh);
    // stalls: Vault 403 (once the conflict with the older script1 is gone), Dynatrace 401
    // Younger than script1 even within its second: creationTimestamp has second precision, and
    // resources created in the same second are ordered by name ("z-denied" after "script1").
    world.apply(
        Resources.withVaultTokenSecret(
            rotation(world, "z-denied", "dynatrace/automation_script1", "1h"),
            "limited-vault-token"));
    world.apply(
        Resources.withManagementTokenSecret(
            rotation(world, "unauthorized", "dynatrace/unauthorized", "1h"),
            "revoked-dt",
            "token"));
    world.vault.writeKv("", "secret", "dynatrace/unauthorized", Map.of("token", master));

    world.awaitReady("script1", Reasons.ROTATED);
    world.awaitReady("script2", Reasons.ROTATED);
    world.awaitReady("fresh", Reasons.ROTATED);
    world.awaitStalled(
        "z-denied", Reasons.CONFLICT); // same secret as script1: the younger one stalls first
    world.awaitStalled("unauthorized", Reasons.DYNATRACE_UNAUTHORIZED);
    world.passTime(Resources.GRACE);
    world.await("script1", "old token retired", r -> r.getStatus().getRetiredTokens() == null);
    knownSecrets.add(world.vaultToken("dynatrace/automation_script1"));
    knownSecrets.add(world.vaultToken("dynatrace/automation_script2"));
    knownSecrets.add(world.vaultToken("dynatrace/fresh"));
    world.delete("script2");
    world.awaitGone("script2");
    world.delete("script1");
    world.awaitGone("script1");
    // with script1 gone, "z-denied" owns the secret and meets the Vault policy
    world.awaitStalled("z-denied", Reasons.VAULT_PERMISSION_DENIED);

    // The operator keeps logging while this reads: copy under the appender's lock (doAppend holds
    // it).
    List<ILoggingEvent> captured;
    synchronized (logs) {
      captured = new ArrayList<>(logs.list);
    }
    StringBuilder output = new StringBuilder();
    for (ILoggingEvent event : captured) {
      output.append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        output.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    assertThat(captured)
        .as("captured operator log lines")
        .anyMatch(e -> e.getLoggerName().startsWith("io.tokenrotation"));
    world
        .client
        .v1()
        .events()
        .inNamespace(TestWorld.NAMESPACE)
        .list()
        .getItems()
        .forEach(e -> output.append(Serialization.asYaml(e)));
    world
        .client
        .resources(TokenRotation.class)
        .inNamespace(TestWorld.NAMESPACE)
        .list()
        .getItems()
        .forEach(tr -> output.append(Serialization.asYaml(tr)));
    assertThat(world.events("script1")).isNotEmpty();

    String text = output.toString();
    assertThat(find(DYNATRACE_SECRET, text)).as("Dynatrace token secrets in the output").isEmpty();
    assertThat(find(VAULT_TOKEN, text)).as("Vault tokens in the output").isEmpty();
    assertThat(find(JWT, text)).as("service-account JWTs in the output").isEmpty();
    for (String secret : knownSecrets) {
      assertThat(text).as("a known secret in the output").doesNotContain(secret);
      // nor the secret half of a Dynatrace token on its own
      if (secret.startsWith("dt0c01.")) {
        assertThat(text).doesNotContain(secret.substring(32));
      }
    }
  }

  private static List<String> find(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group().substring(0, Math.min(12, m.group().length())) + "...");
    }
    return found;
  }
}
