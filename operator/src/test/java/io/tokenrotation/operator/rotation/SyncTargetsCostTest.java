package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.TokenRotationBuilder.Option;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.operator.testing.Workloads;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What writing the secret targets costs upstream when no rotation is due: one Vault read for the
 * value, no lookup while Vault holds the KV version status recorded; and a token written outside
 * the operator is adopted once, then written, with no loop.
 */
class SyncTargetsCostTest {
  private static final String PATH = "dynatrace/automation_script1";

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

  private static Option targets(String... keys) {
    return tr ->
        tr.getSpec()
            .setSecretTargets(
                Arrays.stream(keys).map(key -> Workloads.secretTarget("consumer", key)).toList());
  }

  private String inSecret(String key) {
    return world.secretValue("consumer", key);
  }

  @Test
  void addingATargetCostsOneVaultReadAndNoLookup() {
    world.apply(rotation("a", world, interval("24h"), targets("apiToken")));
    world.settle();
    String token = world.vault.readKv("", "secret", PATH).orElseThrow().get("token");
    assertThat(inSecret("apiToken")).isEqualTo(token);
    world.clearJournals();

    world.edit("a", targets("apiToken", "token"));
    world.settle();

    assertThat(inSecret("token")).isEqualTo(token);
    assertThat(world.vault.journal().count("GET", "/v1/secret/data/" + PATH)).isEqualTo(1);
    assertThat(world.dynatrace.journal().entries()).as("no lookup, no create").isEmpty();
  }

  @Test
  void aTokenWrittenOutsideIsAdoptedOnceThenWritten() {
    world.apply(rotation("a", world, interval("24h"), targets("apiToken")));
    world.settle();
    IssuedToken theirs =
        world.dynatrace.createToken("theirs", List.of("metrics.ingest"), SeedState.OWNER, null);
    world.vault.writeKv("", "secret", PATH, Map.of("token", theirs.token()));
    world.clearJournals();

    world.edit("a", targets("apiToken", "token")); // the new target makes the step run
    world.settle();

    assertThat(world.get("a").getStatus().getTokenId()).isEqualTo(theirs.id());
    assertThat(inSecret("apiToken")).isEqualTo(theirs.token());
    assertThat(inSecret("token")).isEqualTo(theirs.token());
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens/lookup"))
        .as("one lookup learns whose token it is")
        .isEqualTo(1);
    assertThat(world.vault.journal().count("GET", "/v1/secret/data/" + PATH))
        .as("one read to adopt, one to write the adopted token")
        .isEqualTo(2);
    world.runFor(Duration.ofHours(1));
    assertThat(world.vault.journal().count("GET", "/v1/secret/data/" + PATH))
        .as("nothing more while nothing is due")
        .isEqualTo(2);
  }
}
