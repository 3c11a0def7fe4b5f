package io.tokenrotation.operator.controller;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.CreatedToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.policy.EffectiveSpec;
import io.tokenrotation.operator.policy.RotationDecisions;
import io.tokenrotation.operator.policy.RotationSchedule;
import io.tokenrotation.operator.policy.Timestamps;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.FailureBudget;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import io.tokenrotation.operator.vault.VaultException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rotation state machine (docs/rotation.md). Each external side effect is preceded by a status write that
 * records the intent, so that whatever point a crash interrupts, the next reconcile finds enough in status to finish
 * or undo the rotation:
 *
 * <pre>
 *  read Vault (value, version V) -> lookup -> persist pending{old, V} -> create successor -> persist pending.newId
 *  -> write Vault (check-and-set V) -> persist current=new, retired+=old, pending=null -> (grace) -> retire old
 * </pre>
 */
final class RotationWorkflow {
  private static final Logger LOG = LoggerFactory.getLogger(RotationWorkflow.class);

  private final EventPublisher events;
  private final Checkpoints checkpoints;
  private final TokenNameLocks nameLocks;

  RotationWorkflow(EventPublisher events, Checkpoints checkpoints, TokenNameLocks nameLocks) {
    this.events = events;
    this.checkpoints = checkpoints;
    this.nameLocks = nameLocks;
  }

  // ---------------------------------------------------------------- adoption

  /** First sight: record which token Vault holds; bootstrap one when the secret is missing and scopes are given. */
  void adopt(RotationSession s) {
    EffectiveSpec spec = s.spec();
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    Optional<SecretValue> token = secret.flatMap(v -> v.field(spec.field()));
    if (token.isEmpty()) {
      if (spec.newTokenScopes().isEmpty()) {
        throw secret.isEmpty()
            ? new StalledException(Reasons.SECRET_NOT_FOUND, "no secret at " + location.display()
                + " in Vault; create it, or set spec.newToken.scopes to let the operator create the first token")
            : new StalledException(Reasons.SECRET_FIELD_MISSING, "the secret " + location.display()
                + " has no field \"" + spec.field() + "\"; set spec.newToken.scopes to create the first token");
      }
      String name = spec.newTokenName().orElse(s.resource().getMetadata().getName());
      begin(s, null, name, spec.newTokenScopes(), secret.map(KvSecret::version).orElse(0L), null);
      complete(s, secret.orElse(null));
      return;
    }
    recordAdoption(s, secret.get(), lookupCurrent(s, token.get(), location), null);
  }

  /**
   * Records the token Vault holds as the current one. {@code replaced}: the token status named before, when someone
   * replaced it outside the operator (status must stop claiming it at once); null on first sight.
   */
  private void recordAdoption(RotationSession s, KvSecret secret, ApiToken adopted, String replaced) {
    EffectiveSpec spec = s.spec();
    Instant anchor = adopted.creationDate() != null ? adopted.creationDate() : s.now();
    Instant next = RotationSchedule.next(anchor, spec.interval(), adopted.expirationDate());
    s.persist(st -> {
      recordToken(st, adopted.id(), adopted.name(), adopted.scopes(), adopted.expirationDate(), anchor);
      st.setVaultSecretVersion(secret.version());
      st.setVaultSecret(spec.vaultSecret());
      st.setNextRotationTime(Timestamps.format(next));
      FailureBudget.clear(st);
    });
    String where = s.upstreams().secretLocation().display();
    if (replaced == null) {
      events.normal(s.resource(), Reasons.ADOPTED, "Adopted token " + adopted.id() + " from " + where);
    } else {
      LOG.info("{}: Vault holds {} instead of {}: adopted", s.key(), adopted.id(), replaced);
      events.normal(s.resource(), Reasons.VAULT_CHANGED_OUTSIDE, "Vault holds " + adopted.id() + " instead of "
          + replaced + " (written outside the operator): adopted it; next rotation at " + Timestamps.format(next));
    }
  }

  /**
   * The opt-in drift check: one Vault read. An unchanged KV version means nothing changed (no lookup, no write).
   */
  void check(RotationSession s) {
    adoptWhatVaultHolds(s, true);
  }

  /**
   * Reads the secret and makes status name the token it holds: the same token at a new version only records the
   * version; another token (written outside the operator) is adopted. {@code skipSameVersion}: an unchanged KV
   * version needs no lookup (KV v1 has no versions: always looked up).
   */
  private void adoptWhatVaultHolds(RotationSession s, boolean skipSameVersion) {
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    TokenRotationStatus st = s.status();
    if (skipSameVersion && secret.isPresent() && secret.get().version() > 0
        && Objects.equals(secret.get().version(), st.getVaultSecretVersion())) {
      return;
    }
    Optional<SecretValue> token = secret.flatMap(v -> v.field(s.spec().field()));
    if (token.isEmpty()) {
      throw secret.isEmpty()
          ? new StalledException(Reasons.SECRET_NOT_FOUND, "the secret " + location.display()
              + " disappeared from Vault")
          : new StalledException(Reasons.SECRET_FIELD_MISSING, "the secret " + location.display()
              + " has no field \"" + s.spec().field() + "\" any more");
    }
    ApiToken current = lookupCurrent(s, token.get(), location);
    if (current.id().equals(st.getTokenId())) {
      s.persist(status -> status.setVaultSecretVersion(secret.get().version())); // another field changed
      return;
    }
    recordAdoption(s, secret.get(), current, st.getTokenId());
  }

  // ---------------------------------------------------------------- rotation

  /** Replace the token Vault holds now. {@code rotateRequest} is the annotation value for a manual rotation. */
  void rotate(RotationSession s, String rotateRequest) {
    EffectiveSpec spec = s.spec();
    KvLocation location = s.upstreams().secretLocation();
    KvSecret secret = s.upstreams().vault().read(location).orElseThrow(() -> new StalledException(
        Reasons.SECRET_NOT_FOUND, "the secret " + location.display() + " disappeared from Vault"));
    SecretValue current = secret.field(spec.field()).orElseThrow(() -> new StalledException(
        Reasons.SECRET_FIELD_MISSING, "the secret " + location.display() + " has no field \"" + spec.field() + "\""));
    TokenRotationStatus st = s.status();
    String oldId;
    String oldName;
    List<String> oldScopes;
    if (RotationDecisions.statusKnowsVaultToken(st, spec.vaultSecret(), secret.version())) {
      oldId = st.getTokenId();
      oldName = st.getTokenName();
      oldScopes = st.getScopes() == null ? List.of() : st.getScopes();
    } else {
      ApiToken old = lookupCurrent(s, current, location);
      if (st.getTokenId() != null && !old.id().equals(st.getTokenId())) {
        // Someone replaced the token outside the operator: adopt theirs first. The planner then decides whether it
        // is still due (a fresh token usually is not; a requested rotation still is).
        recordAdoption(s, secret, old, st.getTokenId());
        return;
      }
      oldId = old.id();
      oldName = old.name();
      oldScopes = old.scopes();
    }
    String name = spec.newTokenName().orElse(oldName);
    List<String> scopes = spec.newTokenScopes().isEmpty() ? oldScopes : spec.newTokenScopes();
    begin(s, oldId, name, scopes, secret.version(), rotateRequest);
    complete(s, secret);
  }

  private void begin(RotationSession s, String oldId, String name, List<String> scopes, long vaultVersion,
      String rotateRequest) {
    Instant now = s.now();
    s.persist(st -> {
      PendingRotation pending = new PendingRotation();
      pending.setStartedAt(Timestamps.format(now));
      pending.setOldTokenId(oldId);
      pending.setTokenName(name);
      pending.setScopes(List.copyOf(scopes));
      pending.setVaultVersion(vaultVersion);
      pending.setVaultSecret(s.spec().vaultSecret());
      pending.setRotateRequest(rotateRequest);
      st.setPendingRotation(pending);
    });
    checkpoints.reached(Checkpoint.AFTER_PENDING_PERSISTED);
  }

  /** Steps 4-7: create the successor, record its id, write it to Vault (check-and-set), record the outcome. */
  private void complete(RotationSession s, KvSecret expected) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    Instant expiration = spec.expiresAfter().map(d -> s.now().plus(d)).orElse(null);
    CreatedToken created = nameLocks.withLock(spec.environmentUrl(), pending.getTokenName(), () -> {
      CreatedToken token;
      try {
        token = dynatrace.create(pending.getTokenName(), pending.getScopes(), expiration);
      } catch (DynatraceException e) {
        if (e.locallyThrottled()) {
          // Nothing was sent, so nothing can be orphaned: drop the intent instead of leaving a recovery behind.
          s.persist(st -> st.setPendingRotation(null));
        } else if (e.status() >= 400 && e.status() < 500) {
          // Dynatrace answered and refused: nothing was created, so nothing is pending. Cleared on the copy the
          // failure is recorded on (one write), so a refused create leaves no recovery behind to loop through.
          s.status().setPendingRotation(null);
          if (!e.refusedScopes().isEmpty()) {
            throw ScopeRefusal.stall(spec, pending.getOldTokenId(), e.refusedScopes());
          }
        }
        throw e;
      }
      s.tokenCreated(token.id());
      checkpoints.reached(Checkpoint.AFTER_TOKEN_CREATED);
      s.persist(st -> st.getPendingRotation().setNewTokenId(token.id()));
      return token;
    });
    checkpoints.reached(Checkpoint.AFTER_NEW_ID_PERSISTED);
    KvLocation location = s.upstreams().secretLocation();
    KvSecret written;
    try {
      written = expected == null
          ? s.upstreams().vault().createField(location, spec.field(), created.token())
          : s.upstreams().vault().writeField(location, spec.field(), created.token(), expected);
    } catch (VaultException e) {
      if (e.kind() != VaultException.Kind.CAS_CONFLICT) {
        throw e; // unknown whether the write happened: RESUME will look at Vault and decide
      }
      // Someone else wrote the secret since we read it: our token never reached Vault. Undo, then adopt what Vault
      // holds now, so status stops naming a token Vault no longer holds.
      abandon(s, created.id(), "the secret changed in Vault during the rotation");
      adoptWhatVaultHolds(s, false);
      return;
    }
    checkpoints.reached(Checkpoint.AFTER_VAULT_WRITTEN);
    finish(s, created.id(), created.expirationDate() != null ? created.expirationDate() : expiration,
        written.version());
  }

  /** Step 7: Vault holds the successor. Make it current, schedule the old token's retirement, clear pending. */
  private void finish(RotationSession s, String newId, Instant expiration, long vaultVersion) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    Instant now = s.now();
    Instant next = RotationSchedule.next(now, spec.interval(), expiration);
    String oldId = pending.getOldTokenId();
    s.persist(st -> {
      recordToken(st, newId, pending.getTokenName(), pending.getScopes(), expiration, now);
      st.setVaultSecretVersion(vaultVersion);
      st.setVaultSecret(pending.getVaultSecret() != null ? pending.getVaultSecret() : spec.vaultSecret());
      st.setLastRotationTime(Timestamps.format(now));
      st.setNextRotationTime(Timestamps.format(next));
      if (pending.getRotateRequest() != null) {
        st.setLastHandledRotateRequest(pending.getRotateRequest());
      }
      if (oldId != null && !oldId.equals(newId)) {
        List<RetiredToken> retired = new ArrayList<>(st.getRetiredTokens() == null ? List.of() : st.getRetiredTokens());
        RetiredToken entry = new RetiredToken();
        entry.setId(oldId);
        entry.setAction(spec.retireAction());
        entry.setDueAt(Timestamps.format(now.plus(spec.gracePeriod())));
        retired.add(entry);
        st.setRetiredTokens(retired);
      }
      st.setPendingRotation(null);
      FailureBudget.clear(st);
    });
    checkpoints.reached(Checkpoint.AFTER_ROTATION_PERSISTED);
    LOG.info("{}/{}: rotated {} -> {}", s.resource().getMetadata().getNamespace(), s.resource().getMetadata().getName(),
        oldId, newId);
    events.normal(s.resource(), Reasons.ROTATED, oldId == null ? "Created token " + newId + " and stored it in Vault"
        : "Rotated " + oldId + " -> " + newId + "; old token retires at "
            + Timestamps.format(now.plus(spec.gracePeriod())));
  }

  /** Delete a successor that never reached Vault, and clear the pending rotation. */
  private void abandon(RotationSession s, String newId, String why) {
    deleteQuietly(s.upstreams().dynatrace(), newId);
    s.persist(st -> st.setPendingRotation(null));
    events.warning(s.resource(), Reasons.ROTATION_ABORTED, "Rotation undone (" + why + "); deleted " + newId);
  }

  // ---------------------------------------------------------------- recovery

  /**
   * A rotation was interrupted. If Vault holds the successor, finish it; otherwise delete the successor (and any
   * orphan of the same name created since the rotation started) and clear pending so the rotation starts over.
   */
  void resume(RotationSession s) {
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
    Optional<ApiToken> vaultToken = inVault.flatMap(t -> lookupIfKnown(dynatrace, t));
    if (pending.getNewTokenId() != null && vaultToken.isPresent()
        && pending.getNewTokenId().equals(vaultToken.get().id())) {
      finish(s, pending.getNewTokenId(), vaultToken.get().expirationDate(), secret.get().version());
      return;
    }
    String keep = vaultToken.map(ApiToken::id).orElse(null);
    nameLocks.withLock(spec.environmentUrl(), pending.getTokenName(), () -> {
      if (pending.getNewTokenId() == null) {
        // The create may have happened without its id being recorded (a crash, a time-out): look for it.
        sweepOrphans(s, dynatrace, pending, keep);
      } else if (!pending.getNewTokenId().equals(keep)) {
        // One pending rotation makes one create, and its id is recorded: nothing else can be orphaned by it.
        deleteQuietly(dynatrace, pending.getNewTokenId());
      }
      return null;
    });
    s.persist(st -> st.setPendingRotation(null));
    events.warning(s.resource(), Reasons.ROTATION_ABORTED,
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
        deleteQuietly(dynatrace, token.id());
      }
    }
  }


  // ---------------------------------------------------------------- retirement

  /** Retire every replaced token whose time has come (all of them when {@code all}, as on deletion). */
  void retire(RotationSession s, boolean all) {
    List<RetiredToken> retired = s.status().getRetiredTokens();
    if (retired == null || retired.isEmpty()) {
      return;
    }
    Instant now = s.now();
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    List<RetiredToken> remaining = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (RetiredToken token : retired) {
      switch (RotationDecisions.retirement(token, all, now)) {
        case WAIT -> {
          remaining.add(token);
          continue;
        }
        case LEAVE_DISABLED -> {
          done.add(token.getId() + " left disabled");
          continue;
        }
        case DELETE -> {
          dynatrace.delete(token.getId());
          done.add(token.getId() + " deleted");
        }
        case DISABLE -> {
          dynatrace.setEnabled(token.getId(), false);
          done.add(token.getId() + " disabled");
        }
        case DISABLE_THEN_DELETE_LATER -> {
          dynatrace.setEnabled(token.getId(), false);
          RetiredToken later = new RetiredToken();
          later.setId(token.getId());
          later.setAction(token.getAction());
          later.setDisabledAt(Timestamps.format(now));
          later.setDueAt(Timestamps.format(now.plus(s.spec().deleteAfter())));
          remaining.add(later);
          done.add(token.getId() + " disabled");
        }
      }
      checkpoints.reached(Checkpoint.AFTER_TOKEN_RETIRED);
    }
    s.persist(st -> {
      st.setRetiredTokens(remaining.isEmpty() ? null : remaining);
      FailureBudget.clear(st);
    });
    checkpoints.reached(Checkpoint.AFTER_RETIREMENT_PERSISTED);
    for (String what : done) {
      events.normal(s.resource(), Reasons.TOKEN_RETIRED, "Token " + what);
    }
  }

  // ---------------------------------------------------------------- helpers

  private ApiToken lookupCurrent(RotationSession s, SecretValue token, KvLocation location) {
    return lookupIfKnown(s.upstreams().dynatrace(), token).orElseThrow(() -> new StalledException(
        Reasons.TOKEN_NOT_FOUND, "the token stored at " + location.display() + " is unknown to Dynatrace"
            + " (deleted, or from another environment)"));
  }

  private static Optional<ApiToken> lookupIfKnown(DynatraceClient dynatrace, SecretValue token) {
    try {
      return Optional.of(dynatrace.lookup(token));
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void deleteQuietly(DynatraceClient dynatrace, String id) {
    dynatrace.delete(id); // false = already gone, which is what we want
  }

  private static void recordToken(TokenRotationStatus st, String id, String name, List<String> scopes,
      Instant expiration, Instant createdAt) {
    st.setTokenId(id);
    st.setTokenName(name);
    st.setScopes(scopes == null ? null : List.copyOf(scopes));
    st.setTokenExpirationTime(Timestamps.format(expiration));
    st.setTokenCreationTime(Timestamps.format(createdAt));
  }
}
