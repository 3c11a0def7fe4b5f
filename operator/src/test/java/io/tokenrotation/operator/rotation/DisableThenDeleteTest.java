package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.gracePeriod;
import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.path;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationBuilder;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.ControllerHarness;
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
 * The vendor's retirement recipe as the default: the old token is disabled first and deleted a week
 * later; a consumer still presenting it shows up as a Warning (and in status and the metric), and a
 * resource that rotates its own management token never asks Dynatrace to disable the calling token.
 */
class DisableThenDeleteTest {
  private static final String PATH = "dynatrace/automation_script1";

  /** The test fixture says Delete (the seed's way); these tests are about the default. */
  private static final TokenRotationBuilder.Option DEFAULT_ACTION =
      tr -> tr.getSpec().getOldToken().setAction(null);

  private ControllerHarness world;
  private Map<String, String> seeded;

  @BeforeEach
  void seed() {
    world = new ControllerHarness().withRootTokenSecret();
    seeded = world.seedTenMinutesAgo();
  }

  @AfterEach
  void close() {
    world.close();
  }

  /** A consumer that did not pick up the new token calls Dynatrace with the old one. */
  private int presentToDynatrace(String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(world.dynatrace.baseUrl() + "/api/v2/apiTokens"))
            .header("Authorization", "Api-Token " + token)
            .GET()
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private long gets(String id) {
    return world.dynatrace.journal().count("GET", "/api/v2/apiTokens/" + id.replace(".", "\\."));
  }

  @Test
  void byDefaultTheOldTokenIsDisabledAndDeletedAWeekLater() {
    String oldId = seeded.get("secret/" + PATH);
    world.apply(rotation("a", world, interval("1h"), gracePeriod("0s"), DEFAULT_ACTION));
    world.settle();
    world.runFor(Duration.ofMinutes(51));

    TokenRotation rotated = world.get("a");
    assertThat(rotated.getStatus().getTokenId()).isNotEqualTo(oldId);
    assertThat(world.dynatrace.token(oldId))
        .hasValueSatisfying(t -> assertThat(t.enabled()).isFalse());
    RetiredToken waiting = rotated.getStatus().getRetiredTokens().get(0);
    assertThat(waiting.getAction()).isEqualTo(RetireAction.DisableThenDelete);
    assertThat(Duration.between(waiting.disabledAt(), waiting.dueAt()))
        .isEqualTo(Duration.ofDays(7));

    world.runFor(Duration.ofDays(7).plusMinutes(1));
    assertThat(world.dynatrace.token(oldId)).isEmpty();
  }

  @Test
  void aSuspendedResourceWithADisabledTokenWaitsQuietlyInsteadOfWakingForTheHourlyLook() {
    world.apply(rotation("a", world, interval("1h"), gracePeriod("0s"), DEFAULT_ACTION));
    world.settle();
    world.runFor(Duration.ofMinutes(51));
    assertThat(world.get("a").getStatus().getRetiredTokens()).hasSize(1);
    world.edit("a", tr -> tr.getSpec().setSuspend(true));
    world.settle();
    int reconciles = world.reconciles();
    world.clearJournals();

    // the hourly look at the disabled token is not for a suspended resource: it must not wake it
    world.runFor(Duration.ofHours(3));

    assertThat(world.reconciles() - reconciles).as("reconciles in three suspended hours").isZero();
    assertThat(world.upstreamCalls()).isZero();
  }

  @Test
  void aDisabledTokenThatIsStillPresentedRaisesOneWarningPerNewUse() throws Exception {
    String oldToken = world.vault.readKv("", "secret", PATH).orElseThrow().get("token");
    String oldId = seeded.get("secret/" + PATH);
    world.apply(rotation("a", world, interval("1h"), gracePeriod("0s"), DEFAULT_ACTION));
    world.settle();
    world.runFor(Duration.ofMinutes(51));
    assertThat(world.get("a").getStatus().getRetiredTokens()).hasSize(1);
    world.clearJournals();

    // an hour with nobody presenting it: one read, nothing to report
    world.runFor(Duration.ofMinutes(61));
    assertThat(gets(oldId)).isEqualTo(1);
    assertThat(world.warnings("a")).isEmpty();

    world.clock.advance(Duration.ofMinutes(5));
    assertThat(presentToDynatrace(oldToken)).as("refused: it is disabled").isEqualTo(401);
    world.runFor(Duration.ofMinutes(61));
    assertThat(world.warnings("a"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo(Reasons.DISABLED_TOKEN_STILL_USED);
              assertThat(e.getMessage()).contains(oldId).doesNotContain(oldToken);
            });
    RetiredToken entry = world.get("a").getStatus().getRetiredTokens().get(0);
    assertThat(entry.usedAfterDisableAt()).isAfter(entry.disabledAt());
    assertThat(world.dynatrace.token(oldId))
        .as("only reported: the token stays disabled, not deleted early")
        .hasValueSatisfying(t -> assertThat(t.enabled()).isFalse());

    // no new use: the next hour's read reports nothing more
    world.runFor(Duration.ofMinutes(61));
    assertThat(world.warnings("a")).hasSize(1);
    assertThat(gets(oldId)).isEqualTo(3);
  }

  @Test
  void aResourceRotatingItsOwnManagementTokenHasTheSuccessorDisableTheOldOne() {
    String oldMaster = seeded.get("secret/dynatrace/master");
    world.apply(
        rotation(
            "master",
            world,
            path("dynatrace/master"),
            interval("1h"),
            gracePeriod("0s"),
            DEFAULT_ACTION,
            TokenRotationBuilder.managementTokenInVault("dynatrace/master")));
    world.settle();
    world.runFor(Duration.ofMinutes(51));

    TokenRotation rotated = world.get("master");
    assertThat(rotated.getStatus().getTokenId()).isNotEqualTo(oldMaster);
    assertThat(world.dynatrace.token(oldMaster))
        .hasValueSatisfying(t -> assertThat(t.enabled()).isFalse());
    assertThat(world.warnings("master")).as("Dynatrace never refused a self-disable").isEmpty();
    assertThat(
            world.dynatrace.journal().entries().stream()
                .filter(e -> e.method().equals("PUT"))
                .allMatch(e -> !e.principal().equals(oldMaster)))
        .as("the disable was sent with the successor, never with the token being disabled")
        .isTrue();
  }
}
