package io.tokenrotation.operator.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link InFlightLimit} and how {@link DynatraceClients} shares one per environment. */
class InFlightLimitTest {
  private static final String TOKEN_A = "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA." + "A".repeat(64);
  private static final String TOKEN_B = "dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB." + "B".repeat(64);

  @Test
  void atMostMaxPlacesAndAFreedPlaceGoesToTheNextCaller() {
    InFlightLimit limit = new InFlightLimit(2, Duration.ZERO);
    InFlightLimit.Place first = limit.enter().orElseThrow();
    InFlightLimit.Place second = limit.enter().orElseThrow();

    assertThat(limit.enter()).as("no third place, and no wait allowed").isEmpty();
    assertThat(limit.inFlight()).isEqualTo(2);
    first.close();
    first.close(); // closing twice frees one place only
    assertThat(limit.inFlight()).isEqualTo(1);
    Optional<InFlightLimit.Place> third = limit.enter();
    assertThat(third).isPresent();
    assertThat(limit.enter()).isEmpty();
    second.close();
    third.get().close();
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void unlimitedNeverRefusesNorCounts() {
    List<InFlightLimit.Place> places = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      places.add(InFlightLimit.UNLIMITED.enter().orElseThrow());
    }
    assertThat(InFlightLimit.UNLIMITED.inFlight()).isZero();
    places.forEach(InFlightLimit.Place::close);
  }

  @Test
  void theWaitIsBoundedByDynatracesOwnQueueTimeout() {
    assertThat(InFlightLimit.MAX_WAIT).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void oneLimitPerEnvironmentWhateverTheManagementToken() {
    DynatraceClients clients =
        new DynatraceClients(
            new HttpClients(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            new DynatraceLimits(4, 0),
            Clock.systemUTC(),
            UpstreamCallListener.NONE);
    clients.forEnvironment("https://abc.live.dynatrace.com/", SecretValue.of(TOKEN_A));
    clients.forEnvironment("https://abc.live.dynatrace.com", SecretValue.of(TOKEN_B));

    EnvironmentLimits abc = clients.limitsOf("https://abc.live.dynatrace.com");
    assertThat(abc.inFlight().max()).isEqualTo(4);
    assertThat(abc.perMinute()).isSameAs(DynatraceRateLimiter.UNLIMITED);
    assertThat(clients.limitsOf("https://abc.live.dynatrace.com")).isSameAs(abc);
    assertThat(clients.limitsOf("https://xyz.live.dynatrace.com").inFlight())
        .isNotSameAs(abc.inFlight());
    assertThat(DynatraceLimits.NONE.forEnvironment(Clock.systemUTC()))
        .isEqualTo(EnvironmentLimits.NONE);
  }
}
