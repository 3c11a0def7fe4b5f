package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.CreatedToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import io.tokenrotation.operator.vault.KvVersion;
import io.tokenrotation.operator.vault.VaultException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ROTATE}: replace the token Vault holds (steps 1-7 of docs/rotation.md). Each external side
 * effect is preceded by a status write that records the intent, so that whatever point a crash
 * interrupts, the next reconcile finds enough in status to finish or undo the rotation ({@link
 * ResumeStep}):
 *
 * <pre>
 *  [read Vault (value, version V) -> lookup: skipped when status knows V, KV v2] -> persist pending{old, V} -> create successor -> persist pending.newId
 *  -> write Vault (check-and-set V) -> persist current=new, retired+=old, pending=null -> (grace) -> retire old
 * </pre>
 */
final class RotateStep {
  private final StepSupport support;

  RotateStep(StepSupport support) {
    this.support = support;
  }

  /**
   * {@code rotateRequest}: the annotation value for a manual rotation; null for a scheduled one.
   */
  void run(RotationSession s, String rotateRequest) {
    EffectiveSpec spec = s.spec();
    KvLocation location = s.upstreams().secretLocation();
    TokenRotationStatus known = s.status();
    if (location.version() == KvVersion.V2
        && RotationDecisions.rotatesWithoutReading(known, spec.secretField())) {
      // Steady state: status knows the token and the version Vault holds. The check-and-set write
      // proves it (or fails before anything changed in Vault), so the read would only repeat it.
      long version = known.getVaultSecretVersion();
      begin(
          s,
          known.getTokenId(),
          spec.newTokenName().orElse(known.getTokenName()),
          spec.newTokenScopes().isEmpty()
              ? (known.getScopes() == null ? List.of() : known.getScopes())
              : spec.newTokenScopes(),
          version,
          rotateRequest);
      complete(s, new KvSecret(Map.of(), version), false);
      return;
    }
    KvSecret secret = TokenReads.readSecret(s);
    SecretValue current = TokenReads.tokenIn(s, secret);
    TokenRotationStatus st = s.status();
    String oldId;
    String oldName;
    List<String> oldScopes;
    if (RotationDecisions.statusKnowsVaultToken(st, spec.secretField(), secret.version())) {
      oldId = st.getTokenId();
      oldName = st.getTokenName();
      oldScopes = st.getScopes() == null ? List.of() : st.getScopes();
    } else {
      ApiToken old = TokenReads.lookupCurrent(s, current);
      if (st.getTokenId() != null && !old.id().equals(st.getTokenId())) {
        // Someone replaced the token outside the operator: adopt theirs first. The planner then
        // decides whether it is still due (a fresh token usually is not; a requested rotation still
        // is).
        support.recordAdoption(s, secret, old, st.getTokenId());
        return;
      }
      oldId = old.id();
      oldName = old.name();
      oldScopes = old.scopes();
    }
    String name = spec.newTokenName().orElse(oldName);
    List<String> scopes = spec.newTokenScopes().isEmpty() ? oldScopes : spec.newTokenScopes();
    replace(s, oldId, name, scopes, secret, secret.version(), rotateRequest);
  }

  /**
   * Steps 3-7: record the intent, create the successor, record its id, write it to Vault
   * (check-and-set against {@code expected}; null = the secret or its field does not exist yet, as
   * in a bootstrap), record the outcome.
   */
  void replace(
      RotationSession s,
      String oldId,
      String name,
      List<String> scopes,
      KvSecret expected,
      long vaultVersion,
      String rotateRequest) {
    begin(s, oldId, name, scopes, vaultVersion, rotateRequest);
    complete(s, expected, true);
  }

  private void begin(
      RotationSession s,
      String oldId,
      String name,
      List<String> scopes,
      long vaultVersion,
      String rotateRequest) {
    Instant now = s.now();
    s.persist(
        st -> {
          PendingRotation pending = new PendingRotation();
          pending.startedAt(now);
          pending.setOldTokenId(oldId);
          pending.setTokenName(name);
          pending.setScopes(List.copyOf(scopes));
          pending.setVaultVersion(vaultVersion);
          pending.setVaultSecret(s.spec().vaultSecret());
          pending.setVaultSecretRef(s.spec().vaultSecretRef());
          pending.setRotateRequest(rotateRequest);
          st.setPendingRotation(pending);
        });
    support.checkpoints.reached(Checkpoint.AFTER_PENDING_PERSISTED);
  }

  /**
   * Steps 4-7: create the successor, record its id, write it to Vault (check-and-set), record the
   * outcome. {@code readVault}: this rotation read the secret (step 1), so a check-and-set conflict
   * means someone wrote it during the rotation; without the read it means someone wrote it since
   * status last saw it, which is drift, not a failed rotation.
   */
  private void complete(RotationSession s, KvSecret expected, boolean readVault) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    Instant expiration = spec.expiresAfter().map(d -> s.now().plus(d)).orElse(null);
    CreatedToken created =
        support.nameLocks.withLock(
            spec.environmentUrl(),
            pending.getTokenName(),
            () -> {
              CreatedToken token;
              try {
                token = dynatrace.create(pending.getTokenName(), pending.getScopes(), expiration);
              } catch (DynatraceException e) {
                if (e.locallyThrottled()) {
                  // Nothing was sent, so nothing can be orphaned: drop the intent instead of
                  // leaving a recovery behind.
                  s.persist(st -> st.setPendingRotation(null));
                } else if (e.status() >= 400 && e.status() < 500) {
                  // Dynatrace answered and refused: nothing was created, so nothing is pending.
                  // Cleared on the copy the
                  // failure is recorded on (one write), so a refused create leaves no recovery
                  // behind to loop through.
                  s.status().setPendingRotation(null);
                  if (!e.refusedScopes().isEmpty()) {
                    throw ScopeRefusal.stall(spec, pending.getOldTokenId(), e.refusedScopes());
                  }
                }
                throw e;
              }
              s.tokenCreated(token.id());
              support.checkpoints.reached(Checkpoint.AFTER_TOKEN_CREATED);
              s.persist(st -> st.getPendingRotation().setNewTokenId(token.id()));
              return token;
            });
    support.checkpoints.reached(Checkpoint.AFTER_NEW_ID_PERSISTED);
    KvLocation location = s.upstreams().secretLocation();
    KvSecret written;
    try {
      written =
          expected == null
              ? s.upstreams().vault().createField(location, spec.field(), created.token())
              : s.upstreams().vault().writeField(location, spec.field(), created.token(), expected);
    } catch (VaultException e) {
      if (e.kind() != VaultException.Kind.CAS_CONFLICT) {
        throw e; // unknown whether the write happened: RESUME will look at Vault and decide
      }
      // Someone else wrote the secret since we read it: our token never reached Vault. Undo, then
      // adopt what Vault
      // holds now, so status stops naming a token Vault no longer holds.
      if (readVault) {
        abandon(s, created.id(), "the secret changed in Vault during the rotation");
      } else {
        // Written outside the operator since status last saw it (before or during this
        // rotation): the successor never reached Vault and goes at once. A Normal event: an outside
        // write is drift, not a failure (the adoption that follows says VaultChangedOutside).
        support.deleteOnce(s.upstreams().dynatrace(), created.id());
        s.persist(st -> st.setPendingRotation(null));
        support.events.normal(
            s.resource(),
            Reasons.ROTATION_ABORTED,
            "Rotation undone (the secret changed in Vault since the operator last saw it); deleted "
                + created.id());
      }
      support.adoptWhatVaultHolds(s, false);
      return;
    }
    support.checkpoints.reached(Checkpoint.AFTER_VAULT_WRITTEN);
    support.finish(
        s,
        created.id(),
        created.expirationDate() != null ? created.expirationDate() : expiration,
        written.version(),
        Optional.of(created.token()));
  }

  /** Delete a successor that never reached Vault, and clear the pending rotation. */
  private void abandon(RotationSession s, String newId, String why) {
    support.deleteOnce(s.upstreams().dynatrace(), newId);
    s.persist(st -> st.setPendingRotation(null));
    support.events.warning(
        s.resource(), Reasons.ROTATION_ABORTED, "Rotation undone (" + why + "); deleted " + newId);
  }
}
