package io.tokenrotation.operator.cleanup.plan;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.Durations;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of a TokenCleanupPolicy, from its spec, status, the token list and the clock alone:
 * when to run, which tokens match, which are protected, and which to act on under maxPerRun. No
 * I/O.
 */
public final class CleanupPlanner {
  /**
   * Candidates listed in status; {@code matched} counts them all. Status objects have a size limit.
   */
  public static final int MAX_LISTED = 50;

  /**
   * Tokens younger than this are never candidates: a rotation (this operator's, or any other
   * tool's) creates the successor before it records it anywhere, and such a token must not be taken
   * for an orphan.
   */
  public static final Duration MIN_AGE = Duration.ofHours(1);

  /** Dynatrace's clock and ours may differ a little. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private CleanupPlanner() {}

  // ---------------------------------------------------------------- when

  /** Run now, or look again at {@code wakeAt} (null: only when the resource changes). */
  public record Schedule(boolean runNow, Instant wakeAt) {}

  /**
   * Due on first sight, after a spec change (a new selector or action should not wait a whole
   * interval), when the interval since the last complete run is over, after the backoff of a failed
   * attempt, and while stalled (the caller looks again now and then: whatever a human fixed outside
   * Kubernetes shows at once).
   */
  public static Schedule schedule(
      TokenCleanupPolicyStatus status,
      EffectiveCleanupSpec spec,
      Long generation,
      Instant now,
      Backoff backoff) {
    if (spec.suspended()) {
      return new Schedule(false, null);
    }
    TokenCleanupPolicyStatus s = status == null ? new TokenCleanupPolicyStatus() : status;
    // The error budget (FailureBudget): after a failed attempt nothing runs before the next one is
    // due, unless the
    // spec changed since.
    Instant retryAt = FailureBudget.nextAttempt(s, backoff);
    if (retryAt != null) {
      boolean specChanged = !Objects.equals(generation, s.getObservedGeneration());
      return now.isBefore(retryAt) && !specChanged
          ? new Schedule(false, retryAt)
          : new Schedule(true, null);
    }
    Instant next = nextRun(s, spec);
    if (next == null
        || !Objects.equals(generation, s.getObservedGeneration())
        || !now.isBefore(next)
        || Conditions.isTrue(s.getConditions(), Conditions.STALLED)) {
      return new Schedule(true, null);
    }
    return new Schedule(false, next);
  }

  /** The last complete run plus the interval; null before the first run. */
  public static Instant nextRun(TokenCleanupPolicyStatus status, EffectiveCleanupSpec spec) {
    Instant last = status == null ? null : status.lastRunAt();
    return last == null ? null : last.plus(spec.interval());
  }

  // ---------------------------------------------------------------- what

  /**
   * Tokens no policy may touch: those a TokenRotation references (current, pending, replaced but
   * not retired yet), those a rotation is creating right now (the pending name, created since it
   * started), and the management token itself (Dynatrace refuses to disable or delete the calling
   * token anyway). Exclusions come from the spec.
   */
  public record Protection(
      Set<String> referencedIds, List<InFlight> inFlight, String managementTokenId) {
    public Protection {
      referencedIds = Set.copyOf(referencedIds);
      inFlight = List.copyOf(inFlight);
    }

    boolean covers(ApiToken token, EffectiveCleanupSpec spec) {
      return referencedIds.contains(token.id())
          || token.id().equals(managementTokenId)
          || spec.excludedIds().contains(token.id())
          || spec.excludedNames().contains(token.name())
          || inFlight.stream().anyMatch(f -> f.covers(token));
    }
  }

  /**
   * A rotation that has started: its successor has this name and is created after {@code
   * startedAt}.
   */
  public record InFlight(String tokenName, Instant startedAt) {
    boolean covers(ApiToken token) {
      return Objects.equals(tokenName, token.name())
          && (token.creationDate() == null
              || startedAt == null
              || !token.creationDate().isBefore(startedAt.minus(CLOCK_SKEW)));
    }
  }

  /** A matched token and why, in words. */
  public record Match(ApiToken token, String reason) {}

  /**
   * {@code matched}: every token the action would change, stalest first; {@code toAct}: the first
   * of them within the run's budget (empty for Report); {@code protectedMatches}: tokens the
   * selector matched that are protected.
   */
  public record Plan(List<Match> matched, List<Match> toAct, int protectedMatches) {
    public List<Match> listed() {
      return matched.subList(0, Math.min(MAX_LISTED, matched.size()));
    }
  }

  /**
   * {@code alreadyActed}: tokens an earlier attempt of this same run disabled or deleted; they
   * count against maxPerRun, so a run that fails half-way and is retried still acts on at most
   * maxPerRun tokens.
   */
  public static Plan plan(
      List<ApiToken> tokens,
      EffectiveCleanupSpec spec,
      Protection protection,
      Instant now,
      int alreadyActed) {
    List<Match> matched = new ArrayList<>();
    int protectedMatches = 0;
    for (ApiToken token : tokens) {
      Optional<String> reason = match(token, spec, now);
      if (reason.isEmpty()) {
        continue;
      }
      if (protection.covers(token, spec)) {
        protectedMatches++;
      } else {
        matched.add(new Match(token, reason.get()));
      }
    }
    matched.sort(
        Comparator.comparing((Match m) -> lastActivity(m.token()))
            .thenComparing(m -> m.token().id()));
    int budget =
        spec.action() == CleanupAction.Report ? 0 : Math.max(0, spec.maxPerRun() - alreadyActed);
    List<Match> toAct = List.copyOf(matched.subList(0, Math.min(budget, matched.size())));
    return new Plan(List.copyOf(matched), toAct, protectedMatches);
  }

  /**
   * Why the token matches every criterion the selector gives, or empty. Never a candidate: a token
   * without a creation date (its age is unknown), one younger than {@link #MIN_AGE}, and for
   * Disable one already disabled (there is nothing to do).
   */
  static Optional<String> match(ApiToken token, EffectiveCleanupSpec spec, Instant now) {
    if (token.id() == null
        || token.creationDate() == null
        || token.creationDate().isAfter(now.minus(MIN_AGE))) {
      return Optional.empty();
    }
    if (spec.action() == CleanupAction.Disable && !token.enabled()) {
      return Optional.empty();
    }
    EffectiveCleanupSpec.Selector selector = spec.selector();
    List<String> reasons = new ArrayList<>();
    if (selector.unusedFor().isPresent()) {
      Optional<String> unused = unused(token, selector.unusedFor().get(), now);
      if (unused.isEmpty()) {
        return Optional.empty();
      }
      reasons.add(unused.get());
    }
    if (!selector.owners().isEmpty()) {
      if (!selector.owners().contains(token.owner())) {
        return Optional.empty();
      }
      reasons.add("owner " + token.owner());
    }
    if (selector.namePattern().isPresent()) {
      if (token.name() == null || !selector.namePattern().get().matches(token.name())) {
        return Optional.empty();
      }
      reasons.add("name matches " + selector.namePattern().get().pattern());
    }
    if (!selector.scopesAny().isEmpty()) {
      List<String> scopes =
          token.scopes().stream().filter(selector.scopesAny()::contains).sorted().toList();
      if (scopes.isEmpty()) {
        return Optional.empty();
      }
      reasons.add("scope " + String.join(", ", scopes));
    }
    return Optional.of(String.join("; ", reasons));
  }

  /**
   * Last used longer ago than {@code unusedFor}, or never used and created longer ago than that.
   * The creation date was checked by the caller; a token with neither date never gets here.
   */
  private static Optional<String> unused(ApiToken token, Duration unusedFor, Instant now) {
    Instant threshold = now.minus(unusedFor);
    if (token.lastUsedDate() != null) {
      return token.lastUsedDate().isBefore(threshold)
          ? Optional.of(
              "last used "
                  + Durations.format(
                      Duration.between(token.lastUsedDate(), now).truncatedTo(ChronoUnit.DAYS))
                  + " ago")
          : Optional.empty();
    }
    return token.creationDate().isBefore(threshold)
        ? Optional.of(
            "never used, created "
                + Durations.format(
                    Duration.between(token.creationDate(), now).truncatedTo(ChronoUnit.DAYS))
                + " ago")
        : Optional.empty();
  }

  /** Stalest first: the last use, or the creation for a token never used. */
  private static Instant lastActivity(ApiToken token) {
    return token.lastUsedDate() != null ? token.lastUsedDate() : token.creationDate();
  }
}
