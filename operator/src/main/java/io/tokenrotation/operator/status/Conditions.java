package io.tokenrotation.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tokenrotation.operator.api.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-convention conditions: {@code lastTransitionTime} changes only when the status flips.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String ROTATING = "Rotating";
  public static final String STALLED = "Stalled";
  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  /** A new list with {@code type} set; other conditions are kept as they are. */
  public static List<Condition> set(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    List<Condition> result = new ArrayList<>(current == null ? List.of() : current);
    String statusText = status ? TRUE : FALSE;
    Optional<Condition> existing = find(result, type);
    String transition =
        existing
            .filter(c -> statusText.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(Timestamps.format(now));
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    existing.ifPresentOrElse(
        c -> result.set(result.indexOf(c), updated), () -> result.add(updated));
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
