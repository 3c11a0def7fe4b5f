package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.rotation.plan.RotationSchedule;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final GoneTokens gone = new GoneTokens();

  StepSupport(EventPublisher events, Checkpoints checkpoints, TokenNameLocks nameLocks) {
    this.events = events;
    this.checkpoints = checkpoints;
    this.nameLocks = nameLocks;
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
            scheduleRetirement(st, s.spec(), now, replaced);
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
    Instant next = RotationSchedule.next(anchor, spec.interval(), adopted.expirationDate());
    recordToken(
        st, adopted.id(), adopted.name(), adopted.scopes(), adopted.expirationDate(), anchor);
    st.setTokenOrigin(TokenRotationStatus.ORIGIN_ADOPTED);
    st.setVaultSecretVersion(vaultVersion);
    st.setVaultSecret(spec.vaultSecret());
    st.setVaultSecretRef(spec.vaultSecretRef());
    st.nextRotationAt(next);
  }

  /**
   * Adds {@code ids} to {@code retiredTokens} under the resource's retirement policy, due after the
   * grace period (an id already listed keeps its entry).
   */
  static void scheduleRetirement(
      TokenRotationStatus st, EffectiveSpec spec, Instant now, String... ids) {
    List<RetiredToken> retired =
        new ArrayList<>(st.getRetiredTokens() == null ? List.of() : st.getRetiredTokens());
    for (String id : ids) {
      if (id == null || retired.stream().anyMatch(r -> id.equals(r.getId()))) {
        continue;
      }
      RetiredToken entry = new RetiredToken();
      entry.setId(id);
      entry.setAction(spec.retireAction());
      entry.dueAt(now.plus(spec.gracePeriod()));
      retired.add(entry);
    }
    st.setRetiredTokens(retired.isEmpty() ? null : retired);
  }

  /**
   * Reads the secret and makes status name the token it holds: the same token at a new version only
   * records the version; another token (written outside the operator) is adopted. {@code
   * skipSameVersion}: an unchanged KV version needs no lookup (KV v1 has no versions: always looked
   * up).
   */
  void adoptWhatVaultHolds(RotationSession s, boolean skipSameVersion) {
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    TokenRotationStatus st = s.status();
    if (skipSameVersion
        && secret.isPresent()
        && secret.get().version() > 0
        && Objects.equals(secret.get().version(), st.getVaultSecretVersion())) {
      return;
    }
    Optional<SecretValue> token = secret.flatMap(v -> v.field(s.spec().field()));
    if (token.isEmpty()) {
      throw secret.isEmpty()
          ? new StalledException(
              Reasons.SECRET_NOT_FOUND,
              "the secret " + location.display() + " disappeared from Vault")
          : new StalledException(
              Reasons.SECRET_FIELD_MISSING,
              "the secret "
                  + location.display()
                  + " has no field \""
                  + s.spec().field()
                  + "\" any more");
    }
    ApiToken current = lookupCurrent(s, token.get(), location);
    if (current.id().equals(st.getTokenId())) {
      s.persist(
          status -> status.setVaultSecretVersion(secret.get().version())); // another field changed
      return;
    }
    recordAdoption(s, secret.get(), current, st.getTokenId());
  }

  // ---------------------------------------------------------------- step 7

  /**
   * Step 7: Vault holds the successor. Make it current, schedule the old token's retirement, clear
   * pending.
   */
  void finish(RotationSession s, String newId, Instant expiration, long vaultVersion) {
    PendingRotation pending = s.status().getPendingRotation();
    EffectiveSpec spec = s.spec();
    Instant now = s.now();
    Instant next = RotationSchedule.next(now, spec.interval(), expiration);
    String oldId = pending.getOldTokenId();
    boolean replacesOld = oldId != null && !oldId.equals(newId);
    RetiredAtOnce atOnce =
        replacesOld
                && RotationDecisions.retiresAtOnce(
                    spec.gracePeriod(), spec.rotatesItsManagementToken())
            ? retireAtOnce(s, oldId, now)
            : null;
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
          if (atOnce != null && atOnce.done()) {
            atOnce.remaining().ifPresent(later -> keepRetired(st, later));
          } else if (replacesOld) {
            scheduleRetirement(st, spec, now, oldId);
          }
          st.setPendingRotation(null);
          FailureBudget.clear(st);
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
                    : "; old token retires at " + Timestamps.format(now.plus(spec.gracePeriod()))));
  }

  /**
   * The outcome of retiring the replaced token inside step 7 (grace period 0): {@code done} false
   * when Dynatrace did not answer as hoped; the token is then scheduled like any other, due now.
   */
  private record RetiredAtOnce(boolean done, String what, Optional<RetiredToken> remaining) {}

  /**
   * Grace period 0: Vault holds the successor (step 6 returned or recovery saw it), so the old
   * token is retired before the outcome is recorded, and that one status write and one event tell
   * it: no separate retirement write. A crash before the write repeats it on recovery (404 =
   * already done); a failure leaves it to the RETIRE step and its backoff.
   */
  private RetiredAtOnce retireAtOnce(RotationSession s, String oldId, Instant now) {
    RetiredToken entry = new RetiredToken();
    entry.setId(oldId);
    entry.setAction(s.spec().retireAction());
    entry.dueAt(now);
    RotationDecisions.Retirement action = RotationDecisions.retirement(entry, false, now);
    try {
      Optional<RetiredToken> remaining =
          retire(s.upstreams().dynatrace(), entry, action, now, s.spec().deleteAfter());
      checkpoints.reached(Checkpoint.AFTER_TOKEN_RETIRED);
      return new RetiredAtOnce(true, describe(action), remaining);
    } catch (DynatraceException e) {
      LOG.info(
          "{}: retiring {} at once failed ({}); the RETIRE step takes it over",
          s.key(),
          oldId,
          e.kind());
      return new RetiredAtOnce(false, null, Optional.empty());
    }
  }

  private static void keepRetired(TokenRotationStatus st, RetiredToken later) {
    List<RetiredToken> retired =
        new ArrayList<>(st.getRetiredTokens() == null ? List.of() : st.getRetiredTokens());
    retired.removeIf(r -> later.getId().equals(r.getId()));
    retired.add(later);
    st.setRetiredTokens(retired);
  }

  // ---------------------------------------------------------------- step 8

  /**
   * Carries out one replaced token's retirement {@code action} (not WAIT); returns what is left of
   * it: the entry that deletes it {@code deleteAfter} from now, after a DisableThenDelete's
   * disable.
   */
  Optional<RetiredToken> retire(
      DynatraceClient dynatrace,
      RetiredToken token,
      RotationDecisions.Retirement action,
      Instant now,
      Duration deleteAfter) {
    switch (action) {
      case DELETE -> deleteOnce(dynatrace, token.getId());
      case DISABLE -> dynatrace.setEnabled(token.getId(), false);
      case DISABLE_THEN_DELETE_LATER -> {
        dynatrace.setEnabled(token.getId(), false);
        RetiredToken later = new RetiredToken();
        later.setId(token.getId());
        later.setAction(token.getAction());
        later.disabledAt(now);
        later.dueAt(now.plus(deleteAfter));
        return Optional.of(later);
      }
      case LEAVE_DISABLED, WAIT -> {}
    }
    return Optional.empty();
  }

  static String describe(RotationDecisions.Retirement action) {
    return switch (action) {
      case DELETE -> "deleted";
      case DISABLE, DISABLE_THEN_DELETE_LATER -> "disabled";
      case LEAVE_DISABLED -> "left disabled";
      case WAIT -> "not due yet";
    };
  }

  // ---------------------------------------------------------------- lookups and small things

  ApiToken lookupCurrent(RotationSession s, SecretValue token, KvLocation location) {
    return lookupIfKnown(s.upstreams().dynatrace(), token)
        .orElseThrow(
            () ->
                new StalledException(
                    Reasons.TOKEN_NOT_FOUND,
                    "the token stored at "
                        + location.display()
                        + " is unknown to Dynatrace"
                        + " (deleted, or from another environment)"));
  }

  static Optional<ApiToken> lookupIfKnown(DynatraceClient dynatrace, SecretValue token) {
    try {
      return Optional.of(dynatrace.lookup(token));
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Deletes a token; one already known gone is not asked about again (404 = already gone, which is
   * fine).
   */
  void deleteOnce(DynatraceClient dynatrace, String id) {
    if (gone.contains(id)) {
      LOG.debug("{} is already gone: no DELETE", id);
      return;
    }
    dynatrace.delete(id);
    gone.add(id);
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
