package io.tokenrotation.operator.cleanup.plan;

import com.google.re2j.Pattern;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.connect.ConnectionTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A validated TokenCleanupPolicy spec with every default applied (the embedded API server applies
 * none).
 */
public record EffectiveCleanupSpec(
    Duration interval,
    ConnectionTarget connection,
    Selector selector,
    Set<String> excludedIds,
    Set<String> excludedNames,
    CleanupAction action,
    int maxPerRun,
    boolean suspended) {

  public static final CleanupAction DEFAULT_ACTION = CleanupAction.Report;
  public static final int DEFAULT_MAX_PER_RUN = 10;

  /**
   * The criteria; at least one is present. {@code namePattern} is RE2 (linear-time matching: a
   * pattern cannot stall a reconcile thread) and must match the whole name.
   */
  public record Selector(
      Optional<Duration> unusedFor,
      Set<String> owners,
      Optional<Pattern> namePattern,
      Set<String> scopesAny) {}

  /** Convenience for tests and code that hold a spec already validated. */
  public static EffectiveCleanupSpec of(TokenCleanupPolicySpec spec) {
    return CleanupSpecValidator.validate(spec)
        .effective()
        .orElseThrow(() -> new IllegalArgumentException("invalid spec"));
  }
}
