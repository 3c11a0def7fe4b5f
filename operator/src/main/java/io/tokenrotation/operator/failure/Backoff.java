package io.tokenrotation.operator.failure;

import java.time.Duration;
import java.util.Optional;

/**
 * The error budget's clock. After {@code failedAttempts} consecutive transient failures the next
 * attempt waits exponentially from {@code initial}, capped at {@code max}; an upstream's own wait
 * (429 reset, Retry-After) wins when it is longer. A failure only a human can fix is looked at
 * again every {@code stalledRecheck} (or sooner when the spec or the rotate annotation changes).
 */
public record Backoff(Duration initial, Duration max, Duration stalledRecheck) {
  // Before DEFAULT: static fields initialise in order, and DEFAULT's constructor reads this one.
  public static final Duration DEFAULT_STALLED_RECHECK = Duration.ofMinutes(5);
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  /**
   * A stall found with Kubernetes reads only (a missing Secret or key) is rechecked this often: it
   * costs no upstream call.
   */
  public static final Duration KUBERNETES_ONLY_RECHECK = Duration.ofSeconds(30);

  /**
   * A resource stalled by a Conflict looks at the informer cache this often at most (no I/O), so it
   * takes over soon after its rival is deleted or moved to another secret field.
   */
  public static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);

  /**
   * Jitter takes up to this share off a step, so many resources failing together do not retry in
   * lockstep.
   */
  static final double JITTER = 0.2;

  public Backoff(Duration initial, Duration max) {
    this(initial, max, DEFAULT_STALLED_RECHECK);
  }

  public Duration delay(int failedAttempts, Optional<Duration> upstreamWait) {
    int exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
    Duration exponential = initial.multipliedBy(1L << Math.min(exponent, 20));
    Duration delay = exponential.compareTo(max) > 0 ? max : exponential;
    return upstreamWait.filter(wait -> wait.compareTo(delay) > 0).orElse(delay);
  }

  /**
   * {@link #delay} less a deterministic jitter of up to 20 %, the same for the same resource and
   * attempt (so the planner, which recomputes it from status, agrees with the reconcile that
   * scheduled it), different across resources.
   */
  public Duration jittered(int failedAttempts, Optional<Duration> upstreamWait, String jitterKey) {
    Duration base = delay(failedAttempts, Optional.empty());
    long hash = (jitterKey + "#" + failedAttempts).hashCode() & 0x7fffffffL;
    double fraction = (hash % 10_000) / 10_000.0 * JITTER;
    Duration jittered = Duration.ofMillis(Math.round(base.toMillis() * (1 - fraction)));
    return upstreamWait.filter(wait -> wait.compareTo(jittered) > 0).orElse(jittered);
  }

  /**
   * When a stalled resource is looked at again without any change: sooner when only Kubernetes is
   * read.
   */
  public Duration recheck(boolean kubernetesOnly) {
    return kubernetesOnly && KUBERNETES_ONLY_RECHECK.compareTo(stalledRecheck) < 0
        ? KUBERNETES_ONLY_RECHECK
        : stalledRecheck;
  }

  /**
   * When a resource stalled by a Conflict looks at the cache again: every {@link
   * #CONFLICT_RECHECK}, or as often as any stall when that is sooner (tests shorten both).
   */
  public Duration conflictRecheck() {
    return stalledRecheck.compareTo(CONFLICT_RECHECK) < 0 ? stalledRecheck : CONFLICT_RECHECK;
  }
}
