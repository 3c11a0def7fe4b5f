package io.tokenrotation.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.sim.dynatrace.CreatedToken;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.dynatrace.TokenView;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200 resources due at once against a Dynatrace environment that allows 1,200 requests a minute: the operator's
 * client-side limiter (1,000 a minute) keeps it under the limit, so 429s stay rare, and every rotation completes
 * with no token lost and no orphan.
 */
class RateLimitedFleetIT {
  private static final int RESOURCES = Integer.getInteger("reliability.fleet", 200);
  private static final int SERVER_LIMIT_PER_MINUTE = 1200;
  private static TestWorld world;

  @BeforeAll
  static void start() throws Exception {
    world = TestWorld.start().withRootTokenSecret();
    world.dynatrace.throttling(Throttling.legacyPerMinute(SERVER_LIMIT_PER_MINUTE));
    world.startOperator(TestWorld.testOptions(), OperatorConfig.fromEnvironment(Map.of(
        "DYNATRACE_RATE_LIMIT_PER_MINUTE", "1000", "RECONCILE_THREADS", "50")));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void everyDueRotationCompletesUnderTheRateLimit() {
    Set<String> oldIds = new HashSet<>();
    List<String> names = new ArrayList<>();
    world.dynatraceClock.advance(Duration.ofHours(-2));
    for (int i = 0; i < RESOURCES; i++) {
      String name = "fleet-" + i;
      CreatedToken token = world.dynatrace.createToken("fleet-token-" + i, List.of("ReadConfig"), "admin@example.com",
          null);
      oldIds.add(token.id());
      world.vault.writeKv("", "secret", "fleet/" + name, Map.of("token", token.token()));
      names.add(name);
    }
    world.dynatraceClock.advance(Duration.ofHours(2));
    for (String name : names) {
      TokenRotation tr = Resources.rotation(world, name, "fleet/" + name, "1h");
      tr.getSpec().getOldToken().setGracePeriod("0s");
      world.apply(tr);
    }

    Awaitility.await("all " + RESOURCES + " rotated and retired").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1)).until(() -> names.stream().allMatch(this::done));

    List<JournalEntry> calls = world.dynatrace.journal().entries();
    long limited = calls.stream().filter(e -> e.status() == 429).count();
    assertThat(limited).as("429s with a client-side limit below the server's").isLessThanOrEqualTo(RESOURCES / 20);
    for (String name : names) {
      String token = world.vault.readKv("", "secret", "fleet/" + name).orElseThrow().get("token");
      assertThat(world.dynatrace.authenticates(token)).as(name + " holds a working token").isTrue();
      assertThat(oldIds).doesNotContain(TestWorld.idOf(token));
    }
    List<TokenView> fleet = world.dynatrace.tokens().stream().filter(t -> t.name().startsWith("fleet-token-")).toList();
    assertThat(fleet).as("exactly one live token per resource: no orphan, every old one retired").hasSize(RESOURCES);
  }

  private boolean done(String name) {
    TokenRotation tr = world.get(name);
    return tr != null && tr.getStatus() != null && tr.getStatus().getLastRotationTime() != null
        && tr.getStatus().getPendingRotation() == null
        && (tr.getStatus().getRetiredTokens() == null || tr.getStatus().getRetiredTokens().isEmpty());
  }
}
