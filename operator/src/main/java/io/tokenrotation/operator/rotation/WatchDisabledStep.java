package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.status.Reasons;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code WATCH_DISABLED}: Dynatrace's token-rotation recipe disables the old token first and
 * deletes it a week later, so that a consumer which did not pick up the new token shows up before
 * it breaks for good. This step reads each disabled token once per {@link
 * DisabledUseWatch#INTERVAL} and, when its {@code lastUsedDate} moved past the disabling, records
 * it and raises a Warning.
 *
 * <p>UNCERTAIN (docs/reference): whether Dynatrace stamps {@code lastUsedDate} when a disabled
 * token is presented is not documented. If it does not, this step never finds anything and costs
 * one read per hour; it never acts on the token itself.
 */
final class WatchDisabledStep {
  private final StepSupport support;
  private final DisabledUseWatch watch;

  WatchDisabledStep(StepSupport support, DisabledUseWatch watch) {
    this.support = support;
    this.watch = watch;
  }

  void run(RotationSession s) {
    Instant now = s.now();
    Map<String, Instant> usedAfterDisable = new TreeMap<>();
    List<RetiredToken> retired =
        s.status().getRetiredTokens() == null ? List.of() : s.status().getRetiredTokens();
    for (RetiredToken token : retired) {
      Instant disabled = token.disabledAt();
      if (disabled == null) {
        continue;
      }
      Optional<ApiToken> seen = s.upstreams().dynatrace().get(token.getId());
      // whole seconds, as status keeps them: a use already reported is not reported again
      Instant lastUsed =
          seen.map(ApiToken::lastUsedDate).map(t -> t.truncatedTo(ChronoUnit.SECONDS)).orElse(null);
      Instant known = token.usedAfterDisableAt();
      if (lastUsed != null
          && lastUsed.isAfter(disabled)
          && (known == null || lastUsed.isAfter(known))) {
        usedAfterDisable.put(token.getId(), lastUsed);
      }
    }
    watch.checked(s.resource(), now);
    if (usedAfterDisable.isEmpty()) {
      return;
    }
    s.persist(
        st -> {
          for (RetiredToken token : st.getRetiredTokens()) {
            Instant used = usedAfterDisable.get(token.getId());
            if (used != null) {
              token.setUsedAfterDisableAt(Timestamps.format(used));
            }
          }
        });
    List<String> described = new ArrayList<>();
    for (RetiredToken token : s.status().getRetiredTokens()) {
      if (usedAfterDisable.containsKey(token.getId())) {
        described.add(
            token.getId()
                + " (disabled "
                + token.getDisabledAt()
                + ", presented "
                + token.getUsedAfterDisableAt()
                + ", deleted at "
                + token.getDueAt()
                + ")");
      }
    }
    support.events.warning(
        s.resource(),
        Reasons.DISABLED_TOKEN_STILL_USED,
        "A consumer still presents disabled token "
            + String.join(", ", described)
            + ": it did not pick up the new token. Find it (Dynatrace shows the token's last use),"
            + " or re-enable the token in Dynatrace to give it time.");
  }
}
