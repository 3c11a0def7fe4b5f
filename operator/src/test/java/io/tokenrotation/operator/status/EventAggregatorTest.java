package io.tokenrotation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.status.EventAggregator.Key;
import io.tokenrotation.operator.status.EventAggregator.Series;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping alone, without an API server (KubernetesEventPublisherTest has what users see).
 */
class EventAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static Key key(String name) {
    return new Key(
        "team-a",
        name,
        "uid-" + name,
        "TokenRotation",
        "Warning",
        "DynatraceUnavailable",
        "retrying");
  }

  @Test
  void tenThousandResourcesKeepAtMostTheBoundInMemory() {
    EventAggregator aggregator = new EventAggregator();
    Series oldest = aggregator.seriesFor(key("script0"));
    Series youngest = null;
    for (int i = 1; i < 10_000; i++) {
      youngest = aggregator.seriesFor(key("script" + i));
    }
    assertThat(aggregator.size()).isEqualTo(EventAggregator.MAX_KEYS);
    assertThat(aggregator.seriesFor(key("script9999"))).isSameAs(youngest);
    assertThat(aggregator.seriesFor(key("script0")))
        .as("evicted, so a new one")
        .isNotSameAs(oldest);
    assertThat(aggregator.size()).isEqualTo(EventAggregator.MAX_KEYS);
  }

  @Test
  void oneKeyIsOneSeriesAndItsLock() {
    EventAggregator aggregator = new EventAggregator(8);
    assertThat(aggregator.seriesFor(key("a")))
        .isSameAs(aggregator.seriesFor(key("a")))
        .isNotSameAs(aggregator.seriesFor(key("b")));
  }

  @Test
  void repeatsCountUntilTheWindowPassesWithoutOne() {
    Series series = new Series();
    series.observe(T0, () -> "e1");
    series.observe(T0.plus(Duration.ofMinutes(9)), () -> "e2");
    series.observe(T0.plus(Duration.ofMinutes(18)), () -> "e3");
    assertThat(series.eventName()).isEqualTo("e1");
    assertThat(series.count()).isEqualTo(3);
    assertThat(series.first()).isEqualTo(T0);
    assertThat(series.last()).isEqualTo(T0.plus(Duration.ofMinutes(18)));

    Instant later = T0.plus(Duration.ofMinutes(18)).plus(EventAggregator.WINDOW);
    series.observe(later, () -> "e4");
    assertThat(series.eventName()).isEqualTo("e4");
    assertThat(series.count()).isEqualTo(1);
    assertThat(series.first()).isEqualTo(later);
    assertThat(series.stored()).isFalse();
  }

  @Test
  void aClockSetBackCountsTheRepeatWithoutMovingLastBack() {
    Series series = new Series();
    series.observe(T0, () -> "e1");
    series.observe(T0.minusSeconds(30), () -> "e2");
    assertThat(series.eventName()).isEqualTo("e1");
    assertThat(series.count()).isEqualTo(2);
    assertThat(series.last()).isEqualTo(T0);
  }
}
