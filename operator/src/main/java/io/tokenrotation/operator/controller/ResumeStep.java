package io.tokenrotation.operator.controller;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.policy.EffectiveSpec;
import io.tokenrotation.operator.policy.RotationDecisions;
import io.tokenrotation.operator.policy.Timestamps;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code RESUME}: a rotation was interrupted (docs/rotation.md, "Recovery"); finish or undo it. */
final class ResumeStep {
  private static final Logger LOG = LoggerFactory.getLogger(ResumeStep.class);

  private final StepSupport support;

  ResumeStep(StepSupport support) {
    this.support = support;
  }

  /**
   * If Vault holds the successor, finish; otherwise delete the successor (and any orphan of the same name created
   * since the rotation started) and clear pending so the rotation starts over.
   */
  void run(RotationSession s) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    if (pending.getVaultSecret() != null && !pending.getVaultSecret().equals(spec.vaultSecret())) {
      // Finishing or undoing needs the secret the rotation wrote to; looking at another one could delete a
      // successor that the old secret holds. Nothing is touched until spec.vault names it again.
      throw new StalledException(Reasons.VAULT_SECRET_CHANGED_MID_ROTATION, "spec.vault changed while a rotation of "
          + pending.getVaultSecret() + " was in progress; set it back to finish or undo that rotation, then change it");
    }
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    Optional<SecretValue> inVault = secret.flatMap(v -> v.field(spec.field()));
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    Optional<ApiToken> vaultToken = inVault.flatMap(t -> StepSupport.lookupIfKnown(dynatrace, t));
    if (pending.getNewTokenId() != null && vaultToken.isPresent()
        && pending.getNewTokenId().equals(vaultToken.get().id())) {
      support.finish(s, pending.getNewTokenId(), vaultToken.get().expirationDate(), secret.get().version());
      return;
    }
    String keep = vaultToken.map(ApiToken::id).orElse(null);
    support.nameLocks.withLock(spec.environmentUrl(), pending.getTokenName(), () -> {
      if (pending.getNewTokenId() == null) {
        // The create may have happened without its id being recorded (a crash, a time-out): look for it.
        sweepOrphans(s, dynatrace, pending, keep);
      } else if (!pending.getNewTokenId().equals(keep)) {
        // One pending rotation makes one create, and its id is recorded: nothing else can be orphaned by it.
        StepSupport.deleteQuietly(dynatrace, pending.getNewTokenId());
      }
      return null;
    });
    s.persist(st -> st.setPendingRotation(null));
    support.events.warning(s.resource(), Reasons.ROTATION_ABORTED,
        "An interrupted rotation was undone (the new token never reached Vault); it will start again");
  }

  /**
   * A successor lost in a crash: a token with the pending name and scopes, created in the window of the pending
   * create call, that nobody references (not in Vault, not the old token, not in any resource's status or in flight
   * in this operator), owned by the management token's owner. Owner and window bound the risk of deleting a
   * same-named token someone else created (docs/rotation.md, "Recovery").
   */
  private void sweepOrphans(RotationSession s, DynatraceClient dynatrace, PendingRotation pending, String keep) {
    if (Timestamps.parse(pending.getStartedAt()) == null) {
      return;
    }
    Set<String> referenced = s.tokenIdsOfOtherResources();
    String owner = null;
    for (ApiToken token : dynatrace.list(null)) {
      if (owner == null && Objects.equals(token.name(), pending.getTokenName())) {
        owner = s.upstreams().managementTokenOwner(); // tokens we create are owned by the management token's owner
      }
      boolean protectedToken = token.id().equals(keep) || token.id().equals(pending.getOldTokenId())
          || token.id().equals(s.status().getTokenId()) || referenced.contains(token.id());
      if (!protectedToken && RotationDecisions.lostSuccessor(token, pending, owner)) {
        LOG.warn("{}: deleting orphan token {} left by an interrupted rotation", s.key(), token.id());
        StepSupport.deleteQuietly(dynatrace, token.id());
      }
    }
  }
}
