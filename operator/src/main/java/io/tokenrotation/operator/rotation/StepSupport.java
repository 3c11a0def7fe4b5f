package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.rotation.plan.RotationSchedule;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvSecret;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What several steps share: making status name the token Vault holds (adoption), making a successor
 * current (step 7 of docs/rotation.md, reached by a rotation and by recovery), and looking tokens
 * up. One instance per controller.
 */
final class StepSupport {
  private static final Logger LOG = LoggerFactory.getLogger(StepSupport.class);

  final EventPublisher events;
  final Checkpoints checkpoints;
  final TokenNameLocks nameLocks;
  final Retirements retirements;
  private ConsumerSteps consumers;

  StepSupport(
      EventPublisher events, Checkpoints checkpoints, TokenNameLocks nameLocks, Backoff backoff) {
    this.retirements = new Retirements(backoff);
    this.events = events;
    this.checkpoints = checkpoints;
    this.nameLocks = nameLocks;
  }

  /** Set once by the workflow (the consumer steps use this class too). */
  void consumers(ConsumerSteps consumers) {
    this.consumers = consumers;
  }

  // ---------------------------------------------------------------- adoption

  /**
   * Records the token Vault holds as the current one. {@code replaced}: the token status named
   * before, when someone replaced it outside the operator (status must stop claiming it at once; it
   * is retired if the operator created it, see {@link RotationDecisions#retireWhenDisplaced}); null
   * on first sight.
   */
  void recordAdoption(RotationSession s, KvSecret secret, ApiToken adopted, String replaced) {
    Instant now = s.now();
    boolean retireReplaced = replaced != null && RotationDecisions.retireWhenDisplaced(s.status());
    s.persist(
        st -> {
          applyAdoption(st, s.spec(), adopted, secret.version(), now);
          if (retireReplaced) {
            Retirements.schedule(st, s.spec(), now, replaced);
          }
          FailureBudget.clear(st);
        });
    String where = s.upstreams().secretLocation().display();
    String next = s.status().getNextRotationTime();
    if (replaced == null) {
      events.normal(
          s.resource(), Reasons.ADOPTED, "Adopted token " + adopted.id() + " from " + where);
    } else {
      LOG.info("{}: Vault holds {} instead of {}: adopted", s.key(), adopted.id(), replaced);
      events.normal(
          s.resource(),
          Reasons.VAULT_CHANGED_OUTSIDE,
          "Vault holds "
              + adopted.id()
              + " instead of "
              + replaced
              + " (written outside the operator): adopted it; "
              + (retireReplaced
                  ? replaced
                      + " (created by the operator) retires at "
                      + Timestamps.format(now.plus(s.spec().gracePeriod()))
                      + "; "
                  : "")
              + "next rotation at "
              + next);
    }
  }

  /**
   * Status names {@code adopted}, found in Vault at {@code vaultVersion}; its schedule starts at
   * its creation.
   */
  static void applyAdoption(
      TokenRotationStatus st,
      EffectiveSpec spec,
      ApiToken adopted,
      long vaultVersion,
      Instant now) {
    Instant anchor = adopted.creationDate() != null ? adopted.creationDate() : now;
    Instant next = RotationSchedule.next(anchor, spec, adopted.expirationDate(), now);
    recordToken(
        st, adopted.id(), adopted.name(), adopted.scopes(), adopted.expirationDate(), anchor);
    st.setTokenOrigin(TokenRotationStatus.ORIGIN_ADOPTED);
    st.setVaultSecretVersion(vaultVersion);
    st.setVaultSecret(spec.vaultSecret());
    st.setVaultSecretRef(spec.vaultSecretRef());
    st.nextRotationAt(next);
  }

  /**
   * Reads the secret and makes status name the token it holds: the same token at a new version only
   * records the version; another token (written outside the operator) is adopted. {@code
   * skipSameVersion}: an unchanged KV version needs no lookup (KV v1 has no versions: always looked
   * up).
   */
  void adoptWhatVaultHolds(RotationSession s, boolean skipSameVersion) {
    KvSecret secret = TokenReads.readSecret(s);
    TokenRotationStatus st = s.status();
    if (skipSameVersion
        && secret.version() > 0
        && Objects.equals(secret.version(), st.getVaultSecretVersion())) {
      return;
    }
    SecretValue token = TokenReads.tokenIn(s, secret);
    ApiToken current = TokenReads.lookupCurrent(s, token);
    if (current.id().equals(st.getTokenId())) {
      s.persist(status -> status.setVaultSecretVersion(secret.version())); // another field changed
      return;
    }
    recordAdoption(s, secret, current, st.getTokenId());
  }

  // ---------------------------------------------------------------- step 7

  /**
   * Step 7: Vault holds the successor. Make it current, schedule the old token's retirement, clear
   * pending.
   */
  void finish(
      RotationSession s,
      String newId,
      Instant expiration,
      long vaultVersion,
      Optional<SecretValue> newToken) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    Instant now = s.now();
    Instant next = RotationSchedule.next(now, spec, expiration, now);
    String oldId = pending.getOldTokenId();
    boolean replacesOld = oldId != null && !oldId.equals(newId);
    // The consumers get the successor while its value is in memory (recovery has no value: the
    // SYNC_TARGETS step reads it from Vault). A refused Secret write is reported after the
    // outcome is recorded: Vault holds the successor either way.
    boolean targetsWritten = spec.secretTargets().isEmpty();
    boolean targetsChanged = false;
    RuntimeException targetFailure = null;
    if (!targetsWritten && newToken.isPresent()) {
      try {
        targetsChanged = consumers.writeTargets(s, newToken.get(), newId);
        targetsWritten = true;
      } catch (RuntimeException e) {
        targetFailure = e;
      }
    }
    boolean consumersCurrent = targetsWritten && spec.restartTargets().isEmpty();
    Retirements.AtOnce atOnce =
        replacesOld
                && consumersCurrent
                && RotationDecisions.retiresAtOnce(
                    spec.gracePeriod(), spec.rotatesItsManagementToken())
            ? retirements.atOnce(s, oldId, now, checkpoints)
            : null;
    boolean wroteTargets = targetsWritten && !spec.secretTargets().isEmpty();
    boolean changed = targetsChanged;
    s.persist(
        st -> {
          recordToken(st, newId, pending.getTokenName(), pending.getScopes(), expiration, now);
          st.setTokenOrigin(TokenRotationStatus.ORIGIN_CREATED);
          st.setVaultSecretVersion(vaultVersion);
          st.setVaultSecret(
              pending.getVaultSecret() != null ? pending.getVaultSecret() : spec.vaultSecret());
          // The pending rotation's field is the spec's (ResumeStep stalls otherwise).
          st.setVaultSecretRef(
              pending.getVaultSecretRef() != null
                  ? pending.getVaultSecretRef()
                  : spec.vaultSecretRef());
          st.lastRotatedAt(now);
          st.nextRotationAt(next);
          if (pending.getRotateRequest() != null) {
            st.setLastHandledRotateRequest(pending.getRotateRequest());
          }
          if (atOnce != null) {
            atOnce.remaining().ifPresent(later -> Retirements.keep(st, later));
          } else if (replacesOld) {
            Retirements.schedule(st, spec, now, oldId);
          }
          st.setPendingRotation(null);
          FailureBudget.clear(st);
          if (wroteTargets) {
            ConsumerSteps.recordWritten(st, spec, newId, changed, now);
          }
        });
    checkpoints.reached(Checkpoint.AFTER_ROTATION_PERSISTED);
    LOG.info(
        "{}/{}: rotated {} -> {}",
        s.resource().getMetadata().getNamespace(),
        s.resource().getMetadata().getName(),
        oldId,
        newId);
    events.normal(
        s.resource(),
        Reasons.ROTATED,
        oldId == null
            ? "Created token " + newId + " and stored it in Vault"
            : "Rotated "
                + oldId
                + " -> "
                + newId
                + (atOnce != null && atOnce.done()
                    ? "; old token " + atOnce.what()
                    : "; old token retires at "
                        + (atOnce != null
                            ? atOnce.remaining().orElseThrow().getDueAt()
                            : Timestamps.format(now.plus(spec.gracePeriod()))))
                + (wroteTargets && changed
                    ? "; wrote it to " + ConsumerSteps.describe(spec.secretTargets())
                    : ""));
    if (targetFailure != null) {
      throw targetFailure;
    }
  }

  /** {@link Retirements#deleteOnce}. */
  void deleteOnce(DynatraceClient dynatrace, String id) {
    retirements.deleteOnce(dynatrace, id);
  }

  private static void recordToken(
      TokenRotationStatus st,
      String id,
      String name,
      List<String> scopes,
      Instant expiration,
      Instant createdAt) {
    st.setTokenId(id);
    st.setTokenName(name);
    st.setScopes(scopes == null ? null : List.copyOf(scopes));
    st.tokenExpiresAt(expiration);
    st.tokenCreatedAt(createdAt);
  }
}
