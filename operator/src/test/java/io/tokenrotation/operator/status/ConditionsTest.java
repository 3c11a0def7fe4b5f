package io.tokenrotation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tokenrotation.operator.api.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
  private static final Instant EARLIER = Instant.now(CLOCK).minus(Duration.ofHours(1));
  private static final Instant NOW = Instant.now(CLOCK);

  private static Condition condition(
      String type, String status, String reason, Instant transition) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("old message")
        .withObservedGeneration(1L)
        .withLastTransitionTime(Timestamps.format(transition))
        .build();
  }

  @Test
  void addsANewCondition() {
    List<Condition> result =
        Conditions.set(null, Conditions.READY, true, "Adopted", "adopted token", 3L, NOW);

    assertThat(result)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Adopted");
              assertThat(c.getMessage()).isEqualTo("adopted token");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2025-03-10T12:00:00Z");
            });
  }

  @Test
  void sameStatusKeepsTransitionTimeButUpdatesTheRest() {
    List<Condition> current = List.of(condition("Ready", "True", "Adopted", EARLIER));

    Condition c = Conditions.set(current, "Ready", true, "Rotated", "rotated", 2L, NOW).get(0);

    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getLastTransitionTime()).isEqualTo(Timestamps.format(EARLIER));
    assertThat(c.getReason()).isEqualTo("Rotated");
    assertThat(c.getMessage()).isEqualTo("rotated");
    assertThat(c.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void flipChangesTransitionTime() {
    List<Condition> current = List.of(condition("Ready", "True", "Adopted", EARLIER));

    Condition c = Conditions.set(current, "Ready", false, "VaultSealed", "sealed", 2L, NOW).get(0);

    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getLastTransitionTime()).isEqualTo(Timestamps.format(NOW));
    assertThat(c.getReason()).isEqualTo("VaultSealed");
  }

  @Test
  void otherConditionsAreUntouchedAndOrderKept() {
    Condition rotating = condition("Rotating", "False", "Idle", EARLIER);
    Condition ready = condition("Ready", "True", "Adopted", EARLIER);
    Condition stalled = condition("Stalled", "False", "Idle", EARLIER);
    List<Condition> current = List.of(rotating, ready, stalled);

    List<Condition> result = Conditions.set(current, "Ready", false, "InvalidSpec", "bad", 4L, NOW);

    assertThat(result)
        .extracting(Condition::getType)
        .containsExactly("Rotating", "Ready", "Stalled");
    assertThat(result.get(0)).isEqualTo(rotating);
    assertThat(result.get(2)).isEqualTo(stalled);
    assertThat(current.get(1)).as("input list not modified").isEqualTo(ready);
    assertThat(current.get(1).getStatus()).isEqualTo("True");
  }

  @Test
  void findAndIsTrue() {
    List<Condition> current =
        List.of(
            condition("Ready", "True", "Adopted", EARLIER),
            condition("Stalled", "False", "Idle", EARLIER));

    assertThat(Conditions.isTrue(current, "Ready")).isTrue();
    assertThat(Conditions.isTrue(current, "Stalled")).isFalse();
    assertThat(Conditions.isTrue(current, "Rotating")).isFalse();
    assertThat(Conditions.isTrue(null, "Ready")).isFalse();
    assertThat(Conditions.find(current, "Stalled"))
        .get()
        .extracting(Condition::getReason)
        .isEqualTo("Idle");
    assertThat(Conditions.find(null, "Ready")).isEmpty();
  }
}
