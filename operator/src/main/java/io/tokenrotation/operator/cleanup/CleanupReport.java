package io.tokenrotation.operator.cleanup;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupCandidate;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner;
import io.tokenrotation.operator.cleanup.plan.EffectiveCleanupSpec;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a cleanup run reports: the status's candidate list and the one-line summary for its
 * condition and event.
 */
final class CleanupReport {
  private CleanupReport() {}

  /**
   * {@code acted}: in the whole run (earlier attempts included); {@code deferred}: matched but left
   * for later.
   */
  static String summary(
      EffectiveCleanupSpec spec, CleanupPlanner.Plan plan, int acted, int deferred) {
    int matched = plan.matched().size();
    String protectedNote =
        plan.protectedMatches() == 0
            ? ""
            : " ("
                + plan.protectedMatches()
                + " more protected: used by a TokenRotation, the management token or excluded)";
    if (spec.action() == CleanupAction.Report) {
      return matched + " token(s) match" + protectedNote + "; action Report changes nothing";
    }
    String verb = spec.action() == CleanupAction.Delete ? "deleted " : "disabled ";
    return verb
        + acted
        + " token(s); "
        + matched
        + " matched"
        + protectedNote
        + (deferred > 0
            ? ", " + deferred + " wait for later runs (maxPerRun " + spec.maxPerRun() + ")"
            : "");
  }

  static Set<String> listedIds(List<CleanupCandidate> listed) {
    return listed.stream().map(CleanupCandidate::getId).collect(Collectors.toSet());
  }

  static CleanupCandidate candidate(
      CleanupPlanner.Match match, CleanupAction action, Set<String> acted) {
    CleanupCandidate c = new CleanupCandidate();
    c.setId(match.token().id());
    c.setName(match.token().name());
    c.setOwner(match.token().owner());
    c.createdAt(match.token().creationDate());
    c.lastUsedAt(match.token().lastUsedDate());
    c.setReason(match.reason());
    c.setOutcome(
        action == CleanupAction.Report
            ? CleanupCandidate.Outcome.Reported
            : !acted.contains(match.token().id())
                ? CleanupCandidate.Outcome.Deferred
                : action == CleanupAction.Delete
                    ? CleanupCandidate.Outcome.Deleted
                    : CleanupCandidate.Outcome.Disabled);
    return c;
  }
}
