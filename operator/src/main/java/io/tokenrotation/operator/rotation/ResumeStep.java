package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RecoveryDecision;
import io.tokenrotation.operator.rotation.plan.RecoveryDecision.History;
import io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.rotation.plan.SecretField;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import io.tokenrotation.operator.vault.KvVersion;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RESUME}: a rotation was interrupted (docs/rotation.md, "Recovery"). Decides from evidence
 * what happened ({@link RecoveryDecision}): what Vault holds now and, with KV v2, what the version
 * the operator's write would have created holds; then finishes, undoes, or completes a rotation
 * that an outside write displaced since.
 */
final class ResumeStep {
  private static final Logger LOG = LoggerFactory.getLogger(ResumeStep.class);

  private final StepSupport support;

  ResumeStep(StepSupport support) {
    this.support = support;
  }

  /**
   * The evidence about the operator's own Vault write; {@code successor} is set when it is {@code
   * WRITTEN}.
   */
  private record WriteEvidence(History history, ApiToken successor) {
    static final WriteEvidence NOT_WRITTEN = new WriteEvidence(History.NOT_WRITTEN, null);
    static final WriteEvidence UNKNOWN = new WriteEvidence(History.UNKNOWN, null);
  }

  void run(RotationSession s) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    if (SecretField.named(pending.getVaultSecretRef(), pending.getVaultSecret())
        && !spec.secretField().isStored(pending.getVaultSecretRef(), pending.getVaultSecret())) {
      // Finishing or undoing needs the secret the rotation wrote to; looking at another one could
      // delete a
      // successor that the old secret holds. Nothing is touched until spec.vault names it again.
      throw new StalledException(
          Reasons.VAULT_SECRET_CHANGED_MID_ROTATION,
          "spec.vault changed while a rotation of "
              + (pending.getVaultSecret() != null
                  ? pending.getVaultSecret()
                  : pending.getVaultSecretRef())
              + " was in progress; set it back to finish or undo that rotation, then change it");
    }
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    Optional<SecretValue> inVault = secret.flatMap(v -> v.field(spec.field()));
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    Optional<ApiToken> vaultToken = inVault.flatMap(t -> TokenReads.lookupIfKnown(dynatrace, t));
    VaultHolds holds = RecoveryDecision.holds(pending, vaultToken);
    boolean recorded = pending.getNewTokenId() != null;
    WriteEvidence evidence =
        recorded && holds != VaultHolds.SUCCESSOR
            ? writeEvidence(s, pending, location, secret)
            : WriteEvidence.UNKNOWN;
    switch (RecoveryDecision.decide(recorded, holds, evidence.history())) {
      case FINISH -> {
        if (holds == VaultHolds.SUCCESSOR) {
          support.finish(
              s,
              pending.getNewTokenId(),
              vaultToken.get().expirationDate(),
              secret.get().version(),
              inVault);
        } else { // it was written; what Vault holds now is no token at all: the next step reports
          // that
          support.finish(
              s,
              pending.getNewTokenId(),
              evidence.successor().expirationDate(),
              pending.getVaultVersion() + 1,
              Optional.empty());
        }
      }
      case UNDO -> undo(s, pending, holds, secret, vaultToken);
      case COMPLETED_THEN_DISPLACED ->
          completeDisplaced(s, pending, holds, secret.get(), vaultToken.get(), true);
      case MAYBE_COMPLETED_THEN_DISPLACED ->
          completeDisplaced(s, pending, holds, secret.get(), vaultToken.get(), false);
      default -> throw new IllegalStateException("unknown recovery outcome");
    }
  }

  /**
   * Did the operator's write happen? It was check-and-set against the version V the rotation read,
   * so it can only be version V+1. KV v1 keeps no history: unknown.
   */
  private WriteEvidence writeEvidence(
      RotationSession s, PendingRotation pending, KvLocation location, Optional<KvSecret> current) {
    Long read = pending.getVaultVersion();
    if (location.version() != KvVersion.V2 || read == null) {
      return WriteEvidence.UNKNOWN;
    }
    long candidate = read + 1;
    if (current.isPresent() && current.get().version() == read) {
      return WriteEvidence.NOT_WRITTEN; // nothing was written since the rotation read the secret
    }
    if (current.isPresent() && current.get().version() == candidate) {
      return WriteEvidence
          .NOT_WRITTEN; // V+1 is what Vault holds now, and that is not the successor
    }
    Optional<KvSecret> written = s.upstreams().vault().readVersion(location, candidate);
    if (written.isEmpty()) {
      return WriteEvidence
          .UNKNOWN; // deleted, destroyed or pruned since (or never written: cannot tell which)
    }
    Optional<ApiToken> token =
        written
            .get()
            .field(s.spec().field())
            .flatMap(t -> TokenReads.lookupIfKnown(s.upstreams().dynatrace(), t));
    return token.isPresent() && token.get().id().equals(pending.getNewTokenId())
        ? new WriteEvidence(History.WRITTEN, token.get())
        : WriteEvidence.NOT_WRITTEN;
  }

  /**
   * The successor never reached Vault: delete it (or, when its id was never recorded, any orphan of
   * the same name created since the rotation started) and clear pending. A token written outside
   * the operator meanwhile is adopted; otherwise the rotation starts over.
   */
  private void undo(
      RotationSession s,
      PendingRotation pending,
      VaultHolds holds,
      Optional<KvSecret> secret,
      Optional<ApiToken> vaultToken) {
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    String keep = vaultToken.map(ApiToken::id).orElse(null);
    support.nameLocks.withLock(
        s.spec().environmentUrl(),
        pending.getTokenName(),
        () -> {
          if (pending.getNewTokenId() == null) {
            // The create may have happened without its id being recorded (a crash, a time-out):
            // look for it.
            sweepOrphans(s, dynatrace, pending, keep);
          } else if (!pending.getNewTokenId().equals(keep)) {
            // One pending rotation makes one create, and its id is recorded: nothing else can be
            // orphaned by it.
            support.deleteOnce(dynatrace, pending.getNewTokenId());
          }
          return null;
        });
    s.persist(st -> st.setPendingRotation(null));
    boolean adopt = holds == VaultHolds.ANOTHER_TOKEN && !keep.equals(s.status().getTokenId());
    support.events.warning(
        s.resource(),
        Reasons.ROTATION_ABORTED,
        "An interrupted rotation was undone (the new "
            + "token never reached Vault); "
            + (adopt ? "Vault holds a token written outside the operator" : "it will start again"));
    if (adopt) {
      support.recordAdoption(s, secret.get(), vaultToken.get(), s.status().getTokenId());
    }
  }

  /**
   * The successor reached Vault ({@code certain}) or may have (KV v1), and a write outside the
   * operator has replaced it since. The rotation replaced the old token, so it is retired (unless
   * Vault holds it again); the successor, displaced, is retired too; status adopts what Vault
   * holds. One status write.
   */
  private void completeDisplaced(
      RotationSession s,
      PendingRotation pending,
      VaultHolds holds,
      KvSecret secret,
      ApiToken current,
      boolean certain) {
    EffectiveSpec spec = s.spec();
    Instant now = s.now();
    String oldId = pending.getOldTokenId();
    String newId = pending.getNewTokenId();
    String oldRetired = holds == VaultHolds.OLD_TOKEN ? null : oldId;
    s.persist(
        st -> {
          if (holds == VaultHolds.ANOTHER_TOKEN) {
            StepSupport.applyAdoption(st, spec, current, secret.version(), now);
          } else {
            st.setVaultSecretVersion(
                secret.version()); // Vault holds the old token again: status still names it
          }
          Retirements.schedule(st, spec, now, oldRetired, newId);
          if (certain) {
            st.lastRotatedAt(now);
            if (pending.getRotateRequest() != null) {
              st.setLastHandledRotateRequest(pending.getRotateRequest());
            }
          }
          st.setPendingRotation(null);
          FailureBudget.clear(st);
        });
    support.checkpoints.reached(Checkpoint.AFTER_ROTATION_PERSISTED);
    String retiring =
        (oldRetired == null ? "" : oldRetired + " and ")
            + newId
            + " retire ("
            + spec.retireAction()
            + ") at "
            + Timestamps.format(now.plus(spec.gracePeriod()));
    LOG.info(
        "{}: interrupted rotation {} -> {} {}; Vault holds {} now, written outside the operator",
        s.key(),
        oldId,
        newId,
        certain ? "had completed" : "may have completed",
        current.id());
    if (certain) {
      support.events.normal(
          s.resource(),
          Reasons.ROTATED,
          "Rotated "
              + oldId
              + " -> "
              + newId
              + " (an interrupted rotation, completed by recovery)");
    } else {
      support.events.warning(
          s.resource(),
          Reasons.ROTATION_OUTCOME_UNKNOWN,
          "An interrupted rotation may have "
              + "stored "
              + newId
              + " in Vault before "
              + current.id()
              + " was written outside the operator (no history "
              + "to tell: KV v1 keeps none, or that KV v2 version is gone): treated as replaced; "
              + retiring
              + " (status.retiredTokens)");
    }
    support.events.normal(
        s.resource(),
        Reasons.VAULT_CHANGED_OUTSIDE,
        "Vault holds "
            + current.id()
            + " instead of "
            + newId
            + " (written outside the operator): adopted it; "
            + retiring);
  }

  /**
   * A successor lost in a crash: a token with the pending name and scopes, created in the window of
   * the pending create call, that nobody references (not in Vault, not the old token, not in any
   * resource's status or in flight in this operator), owned by the management token's owner. Owner
   * and window bound the risk of deleting a same-named token someone else created
   * (docs/rotation.md, "Recovery").
   */
  private void sweepOrphans(
      RotationSession s, DynatraceClient dynatrace, PendingRotation pending, String keep) {
    if (pending.startedAt() == null) {
      return;
    }
    Set<String> referenced = s.tokenIdsOfOtherResources();
    String owner = null;
    for (ApiToken token : dynatrace.list(null)) {
      if (owner == null && Objects.equals(token.name(), pending.getTokenName())) {
        owner =
            s.upstreams()
                .managementTokenOwner(); // tokens we create are owned by the management token's
        // owner
      }
      boolean protectedToken =
          token.id().equals(keep)
              || token.id().equals(pending.getOldTokenId())
              || token.id().equals(s.status().getTokenId())
              || referenced.contains(token.id());
      if (!protectedToken && RotationDecisions.lostSuccessor(token, pending, owner)) {
        LOG.warn(
            "{}: deleting orphan token {} left by an interrupted rotation", s.key(), token.id());
        support.deleteOnce(dynatrace, token.id());
      }
    }
  }
}
