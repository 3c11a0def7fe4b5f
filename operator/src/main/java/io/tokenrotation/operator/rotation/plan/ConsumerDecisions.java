package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.TokenRotationStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * When the consumers of a token (spec.secretTargets, spec.rolloutRestartTargets) must be brought up
 * to date, and when that holds the old token's retirement back. Pure: status, spec and times in.
 */
public final class ConsumerDecisions {
  private ConsumerDecisions() {}

  /**
   * The secret targets do not hold the current token (a rotation or an adoption the targets have
   * not followed yet, or targets added or changed in the spec).
   */
  public static boolean secretTargetsBehind(TokenRotationStatus s, EffectiveSpec spec) {
    return !spec.secretTargets().isEmpty()
        && s.getTokenId() != null
        && (!s.getTokenId().equals(s.getSecretTargetsTokenId())
            || !spec.secretTargetsHash().equals(s.getSecretTargetsHash()));
  }

  /**
   * After the targets were written: do the workloads need a restart? Yes when the targets moved
   * from one token to another (whatever this write found: a crash may have come between the Secret
   * write and the status write), or when this write changed a Secret's content (first sync, new
   * target). Not when an operator restart or a resync found them current.
   */
  public static boolean restartNeeded(
      EffectiveSpec spec, String targetsHeld, String nowHeld, boolean contentChanged) {
    if (spec.restartTargets().isEmpty()) {
      return false;
    }
    boolean movedOn = targetsHeld != null && !Objects.equals(targetsHeld, nowHeld);
    return movedOn || contentChanged;
  }

  /**
   * When the pending restart may run: {@code debounce} after the first change it waits for, and
   * {@code debounce} after the previous restart. Changes in between join the same restart. Null
   * when none is pending.
   */
  public static Instant restartDueAt(TokenRotationStatus s, EffectiveSpec spec) {
    Instant pending = s.rolloutRestartPendingAt();
    if (pending == null || spec.restartTargets().isEmpty()) {
      return null;
    }
    Instant due = pending.plus(spec.restartDebounce());
    Instant last = s.lastRolloutRestartAt();
    if (last != null && last.plus(spec.restartDebounce()).isAfter(due)) {
      due = last.plus(spec.restartDebounce());
    }
    return due;
  }

  /**
   * The old token may be retired only once every consumer was given its successor: the Secrets hold
   * the current token and no restart is waiting.
   */
  public static boolean holdsRetirementBack(TokenRotationStatus s, EffectiveSpec spec) {
    return secretTargetsBehind(s, spec) || restartDueAt(s, spec) != null;
  }
}
