package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.consumers.ConsumerTargets;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.rotation.plan.ConsumerDecisions;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.rotation.plan.SecretTemplates;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The token's consumers in the cluster (docs/rotation.md "Consumers"): {@code SYNC_TARGETS} writes
 * the current token to spec.secretTargets, {@code RESTART} restarts spec.rolloutRestartTargets, and
 * step 7 of a rotation writes the targets inline while the successor's value is still in memory.
 * The old token's retirement waits for both ({@link ConsumerDecisions#holdsRetirementBack}).
 */
final class ConsumerSteps {
  private final StepSupport support;
  private final ConsumerTargets targets;

  ConsumerSteps(StepSupport support, ConsumerTargets targets) {
    this.support = support;
    this.targets = targets;
  }

  /**
   * Writes {@code token} to every secret target; true when any Secret's content changed. Called
   * only once Vault holds {@code token}, so a consumer never gets a token Vault does not have.
   */
  boolean writeTargets(RotationSession s, SecretValue token, String tokenId) {
    boolean changed = false;
    for (SecretTarget target : s.spec().secretTargets()) {
      changed |=
          targets.writeSecret(
              s.resource(),
              new ConsumerTargets.SecretContent(
                  target.getName(),
                  SecretTemplates.render(target, token, tokenId),
                  target.getLabels(),
                  target.getAnnotations()),
              tokenId);
    }
    support.checkpoints.reached(Checkpoint.AFTER_SECRET_TARGETS_WRITTEN);
    return changed;
  }

  /**
   * Status once the targets hold {@code tokenId}: which token and targets, and whether the
   * workloads wait for a restart (the first change a restart waits for starts its debounce).
   */
  static void recordWritten(
      TokenRotationStatus st, EffectiveSpec spec, String tokenId, boolean changed, Instant now) {
    boolean restart =
        ConsumerDecisions.restartNeeded(spec, st.getSecretTargetsTokenId(), tokenId, changed);
    st.setSecretTargetsTokenId(tokenId);
    st.setSecretTargetsHash(spec.secretTargetsHash());
    if (restart && st.getRolloutRestartPendingSince() == null) {
      st.rolloutRestartPendingAt(now);
    }
  }

  /**
   * {@code SYNC_TARGETS}: one Vault read for the value, then the Secrets. Whether Vault still holds
   * the token status names is decided as a rotation decides it: the KV v2 version status recorded,
   * else one lookup (KV v1, or the secret changed); a token written outside the operator is adopted
   * first (the next step writes that one).
   */
  void sync(RotationSession s) {
    KvSecret secret = TokenReads.readSecret(s);
    SecretValue token = TokenReads.tokenIn(s, secret);
    String current = s.status().getTokenId();
    if (!RotationDecisions.statusKnowsVaultToken(
        s.status(), s.spec().secretField(), secret.version())) {
      ApiToken held = TokenReads.lookupCurrent(s, token);
      if (!held.id().equals(current)) {
        support.recordAdoption(s, secret, held, current);
        return;
      }
    }
    boolean changed = writeTargets(s, token, current);
    Instant now = s.now();
    s.persist(st -> recordWritten(st, s.spec(), current, changed, now));
    if (changed) {
      support.events.normal(
          s.resource(),
          Reasons.SECRET_TARGETS_UPDATED,
          "Wrote token " + current + " to " + describe(s.spec().secretTargets()));
    }
  }

  /**
   * {@code RESTART}: every rollout restart target not restarted since the change it waits for, then
   * one status write and one event. A target that fails leaves the step to be retried with backoff;
   * the targets restarted before it are not restarted again then.
   */
  void restart(RotationSession s) {
    String tokenId = s.status().getSecretTargetsTokenId();
    Instant changedAt = s.status().rolloutRestartPendingAt();
    Instant now = s.now();
    List<String> restarted = new ArrayList<>();
    for (RolloutRestartTarget target : s.spec().restartTargets()) {
      if (targets.restart(s.resource(), target, tokenId, now, changedAt)) {
        restarted.add(target.getKind() + " " + target.getName());
      }
    }
    support.checkpoints.reached(Checkpoint.AFTER_ROLLOUT_RESTARTED);
    s.persist(
        st -> {
          st.lastRolloutRestartAt(now);
          st.setRolloutRestartPendingSince(null);
        });
    if (!restarted.isEmpty()) {
      support.events.normal(
          s.resource(),
          Reasons.ROLLOUT_RESTARTED,
          "Restarted " + String.join(", ", restarted) + " for token " + tokenId);
    }
  }

  /** "Secret a (apiToken), Secret b (token)". */
  static String describe(List<SecretTarget> secretTargets) {
    return secretTargets.stream()
        .map(t -> "Secret " + t.getName() + " (" + t.getKey() + ")")
        .collect(Collectors.joining(", "));
  }
}
