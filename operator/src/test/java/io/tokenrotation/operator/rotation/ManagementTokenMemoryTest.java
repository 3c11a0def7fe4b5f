package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.gracePeriod;
import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.path;
import static io.tokenrotation.operator.testing.Fixtures.rotateRequest;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management token read from Vault is remembered for a minute (docs/rotation.md, "The
 * management token"): a fleet does not read it once per rotation, and a token replaced in Vault or
 * rotated by the operator itself is still picked up at once.
 */
class ManagementTokenMemoryTest {
  private static final String MASTER_DATA = "/v1/secret/data/" + SeedState.MASTER_PATH;
  private ControllerHarness world;

  @BeforeEach
  void seed() {
    world = new ControllerHarness().withRootTokenSecret();
    world.seedTenMinutesAgo();
  }

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void resourcesRotatingWithinAMinuteShareOneManagementTokenReadAndMakeThreeCallsEach() {
    world.apply(rotation("a", world, interval("1h")));
    world.apply(rotation("b", world, interval("1h"), path("dynatrace/automation_script2")));
    world.settle();
    world.runFor(Duration.ofMinutes(30));
    world.clearJournals();

    world.edit("a", rotateRequest("now"));
    world.edit("b", rotateRequest("now"));
    world.settle();

    assertThat(world.get("a").getStatus().getLastHandledRotateRequest()).isEqualTo("now");
    assertThat(world.get("b").getStatus().getLastHandledRotateRequest()).isEqualTo("now");
    assertThat(world.vault.journal().count("GET", MASTER_DATA))
        .as("the management token, read for the first rotation, remembered for the second")
        .isEqualTo(1);

    world.runFor(Duration.ofMinutes(5)); // the old tokens retire after the 2-minute grace period

    assertThat(world.vault.journal().count("GET", MASTER_DATA))
        .as("read again after a minute; both retirements at one instant share that read")
        .isEqualTo(2);
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens")).isEqualTo(2);
    assertThat(world.vault.journal().count("PATCH", "/v1/secret/data/dynatrace/.*")).isEqualTo(2);
    assertThat(world.dynatrace.journal().count("DELETE", "/api/v2/apiTokens/.*")).isEqualTo(2);
    assertThat(world.upstreamCalls())
        .as("per rotation: create, check-and-set write, retire; plus the management-token reads")
        .isEqualTo(8);
  }

  @Test
  void aManagementTokenReplacedInVaultIsUsedAsSoonAsDynatraceRefusesTheRememberedOne()
      throws Exception {
    world.apply(rotation("a", world, interval("1h")));
    world.settle(); // adoption read the management token: remembered now
    String oldMaster =
        world.vault.readKv("", "secret", SeedState.MASTER_PATH).orElseThrow().get("token");
    IssuedToken newMaster =
        world.dynatrace.createToken("master", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    world.vault.writeKv("", "secret", SeedState.MASTER_PATH, Map.of("token", newMaster.token()));
    deleteWith(newMaster.token(), oldMaster.substring(0, 31));
    world.clearJournals();

    world.edit("a", rotateRequest("after-the-master-changed"));
    world.settle();

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getLastHandledRotateRequest()).isEqualTo("after-the-master-changed");
    assertThat(st.getState()).isEqualTo(RotationState.HEALTHY);
    assertThat(world.warnings("a")).isEmpty();
    assertThat(world.dynatrace.journal().count(e -> e.status() == 401))
        .as("one refusal of the remembered token, then the one Vault holds")
        .isEqualTo(1);
    assertThat(world.vault.journal().count("GET", MASTER_DATA)).isEqualTo(1);
  }

  @Test
  void whenTheOperatorRotatesTheManagementTokenNoResourceUsesTheReplacedOne() {
    // Grace 0: the replaced management token is retired at once, well within the minute the
    // remembered value would otherwise be used.
    world.apply(
        rotation("master", world, interval("1h"), path(SeedState.MASTER_PATH), gracePeriod("0s")));
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    world.clearJournals();

    world.edit("master", rotateRequest("rotate-the-master"));
    world.settle(); // rotated, and the replaced management token retired by its successor
    world.edit("a", rotateRequest("with-the-new-master"));
    world.settle();

    assertThat(world.get("master").getStatus().getLastHandledRotateRequest())
        .isEqualTo("rotate-the-master");
    assertThat(world.get("master").getStatus().getRetiredTokens()).isNull();
    assertThat(world.get("a").getStatus().getLastHandledRotateRequest())
        .isEqualTo("with-the-new-master");
    assertThat(world.dynatrace.journal().count(e -> e.status() == 401 || e.status() == 403))
        .as("the operator's own write made it read the management token again")
        .isZero();
    assertThat(world.warnings("a")).isEmpty();
    assertThat(world.warnings("master")).isEmpty();
  }

  private void deleteWith(String managementToken, String id) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(world.dynatrace.baseUrl() + "/api/v2/apiTokens/" + id))
                    .header("Authorization", "Api-Token " + managementToken)
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(204);
  }
}
