package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.connect.Connection;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.consumers.ConsumerTargets;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureClassifier;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationPlanner;
import io.tokenrotation.operator.rotation.plan.SpecValidator;
import io.tokenrotation.operator.spec.Validation;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.status.StatusStore;
import io.tokenrotation.operator.tokens.TokenRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of a TokenRotation, free of JOSDK so that tests drive it with a clock: gates first
 * (valid spec? its own Secret refs? a Conflict? an upstream's wait?), then the pure {@link
 * RotationPlanner} picks one step at a time and {@link RotationWorkflow} hands it to that step's
 * handler; every status write goes through {@link RotationStatusRecorder}.
 *
 * <p>The error budget holds by construction: a failure is recorded with the time of the next
 * attempt, and the planner runs nothing before then, whatever woke the reconcile (our own status
 * write included), unless the spec or the rotate annotation changed.
 */
public final class RotationController {
  private static final Logger LOG = LoggerFactory.getLogger(RotationController.class);

  /**
   * Steps one reconcile may chain: at most resume, adopt what someone wrote outside, write the
   * secret targets, restart, retire, rotate, one periodic check (drift, disabled tokens), then
   * wait. A reconcile that has not settled by then is not making progress: it fails (with backoff)
   * instead of coming back at once, so no answer an upstream can give turns into a loop.
   */
  private static final int MAX_STEPS_PER_RECONCILE = 8;

  /**
   * Steps that read or check-and-set write the resource's Vault secret, so the drift check learns
   * nothing new for a while after them. Retiring, restarting and watching disabled tokens do not
   * touch Vault: counting them would keep pushing the drift check back.
   */
  private static final Set<RotationPlanner.Step> LEARNS_WHAT_VAULT_HOLDS =
      EnumSet.of(
          RotationPlanner.Step.RESUME,
          RotationPlanner.Step.ADOPT,
          RotationPlanner.Step.ROTATE,
          RotationPlanner.Step.SYNC_TARGETS,
          RotationPlanner.Step.CHECK);

  /** What the reconcile reads from the informer cache (no I/O). */
  public interface Cache {
    /**
     * Resources naming the Vault secret field {@code slotKey} (an index: what the slot holds, not a
     * full scan).
     */
    List<TokenRotation> bySlot(String slotKey);

    List<TokenRotation> all();
  }

  private final ConnectionResolver upstreams;
  private final EventPublisher events;
  private final Clock clock;
  private final Backoff backoff;
  private final DriftCheck driftCheck;
  private final DisabledUseWatch disabledUse;
  private final RotationWorkflow workflow;
  private final TokenRegistry registry = new TokenRegistry();
  private final SlotKeys slotKeys = new SlotKeys();
  private final RotationGates gates;

  private final FailureResponses failures;

  /**
   * {@code vaultCheckInterval}: the opt-in drift check's period; null or zero = off (idle resources
   * cost nothing).
   */
  public RotationController(
      ConnectionResolver upstreams,
      EventPublisher events,
      Clock clock,
      Backoff backoff,
      Checkpoints checkpoints,
      Duration vaultCheckInterval,
      ConsumerTargets consumerTargets) {
    this.upstreams = upstreams;
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
    this.driftCheck = new DriftCheck(vaultCheckInterval, clock);
    this.disabledUse = new DisabledUseWatch(clock);
    this.failures = new FailureResponses(clock, backoff);
    this.workflow =
        new RotationWorkflow(
            events,
            checkpoints,
            new TokenNameLocks(),
            upstreams,
            backoff,
            consumerTargets,
            disabledUse);
    this.gates = new RotationGates(upstreams, clock, backoff, slotKeys);
  }

  /** The slot a resource names, for the cache index. */
  public Optional<String> slotOf(TokenRotation resource) {
    return slotKeys.of(resource);
  }

  /** Reconciles once; returns when to look again (empty: only when the resource changes). */
  public Optional<Duration> reconcile(TokenRotation resource, StatusStore store, Cache cache) {
    RotationStatusRecorder recorder = new RotationStatusRecorder(store, events, clock, backoff);
    Validation<EffectiveSpec> validation = SpecValidator.validate(resource.getSpec());
    if (!validation.valid()) {
      gates.recordGateStall(
          resource, recorder, Optional.empty(), Reasons.INVALID_SPEC, validation.summary());
      return Optional.empty(); // only a spec change can help, and that triggers a reconcile
    }
    EffectiveSpec spec = validation.effective().orElseThrow();
    TokenRotation current = resource;
    RotationSession session = null;
    try {
      Optional<TokenRotation> owner =
          gates.slotOwner(resource, spec, cache.bySlot(spec.vaultSlotKey()));
      if (owner.isPresent()) {
        return gates.conflict(resource, spec, recorder, owner.get());
      }
      current = gates.clearGateStall(current, spec, recorder);
      if (spec.secretField().recordedOnlyAsDisplay(current.getStatus())) {
        // Written by a version before vaultSecretRef: the display string still names this field, so
        // record the structured reference once; from then on identity no longer rests on wording.
        current =
            recorder.record(
                current, Optional.of(spec), st -> st.setVaultSecretRef(spec.vaultSecretRef()));
      }
      Optional<Duration> throttled = failures.localWait(resource);
      if (throttled.isPresent()) {
        return throttled; // our own rate limiter asked us to wait: no call before that
      }
      Connection connections = null;
      for (int step = 0; step < MAX_STEPS_PER_RECONCILE; step++) {
        String request = TokenRotations.annotation(current);
        Instant now = clock.instant();
        RotationPlanner.Plan plan =
            RotationPlanner.plan(
                current.getStatus(),
                spec,
                request,
                now,
                backoff,
                new RotationPlanner.Attempt(
                    current.getMetadata().getGeneration(),
                    driftCheck.next(current),
                    disabledUse.next(current)));
        if (plan.step() == RotationPlanner.Step.WAIT) {
          TokenRotation waiting = current;
          current =
              recorder.record(
                  current,
                  Optional.of(spec),
                  st -> failures.forgetSettled(st, waiting, request, now));
          return until(plan.wakeAt());
        }
        // One set of connections per reconcile (the management token is read once), except when the
        // resource rotates its own management token: after the Vault write the next step must use
        // the successor.
        if (connections == null || spec.rotatesItsManagementToken()) {
          connections = upstreams.resolve(current.getMetadata().getNamespace(), spec.connection());
        }
        session =
            new RotationSession(
                current,
                spec,
                connections,
                recorder,
                clock,
                () -> TokenRotations.tokenIdsOfOthers(resource, cache.all()),
                registry);
        if (plan.step() == RotationPlanner.Step.ROTATE
            && !plan.manual()
            && RotationPlanner.dueOutsideWindow(current.getStatus(), spec, now)) {
          events.normal(
              current,
              Reasons.ROTATING_BEFORE_EXPIRY,
              "Rotating outside the maintenance window: token "
                  + current.getStatus().getTokenId()
                  + " expires at "
                  + current.getStatus().getTokenExpirationTime()
                  + ", before the next window opens");
        }
        workflow.run(plan.step(), plan.manual(), request, session);
        if (LEARNS_WHAT_VAULT_HOLDS.contains(plan.step())) {
          driftCheck.read(resource, now);
        }
        current = session.resource();
      }
      throw new IllegalStateException(
          "no settled state after " + MAX_STEPS_PER_RECONCILE + " steps");
    } catch (RuntimeException e) {
      // Recorded on the latest stored copy: a step may have written status before it failed (e.g.
      // the pending intent before a refused create), and a write from the copy the step started
      // with is a 409.
      return failures.failed(session != null ? session.resource() : current, spec, recorder, e);
    }
  }

  // ---------------------------------------------------------------- deletion

  /**
   * The finalizer: recover an interrupted rotation, retire every replaced token now (a disabled one
   * stays disabled), revoke the current token with deletionPolicy Revoke. Empty: done, remove the
   * finalizer; else retry after that.
   */
  public Optional<Duration> cleanup(TokenRotation resource, StatusStore store, Cache cache) {
    failures.forget(resource);
    driftCheck.forget(resource);
    disabledUse.forget(resource);
    // On every way out, including the early ones below (recomputed if cleanup retries).
    slotKeys.forget(resource);
    Validation<EffectiveSpec> validation = SpecValidator.validate(resource.getSpec());
    TokenRotationStatus status = resource.getStatus();
    if (!validation.valid()
        || status == null
        || status.getTokenId() == null
            && status.getPendingRotation() == null
            && status.getRetiredTokens() == null) {
      return Optional.empty(); // never acted on: nothing to clean up
    }
    EffectiveSpec spec = validation.effective().orElseThrow();
    RotationStatusRecorder recorder = new RotationStatusRecorder(store, events, clock, backoff);
    try {
      RotationSession session =
          new RotationSession(
              resource,
              spec,
              upstreams.resolve(resource.getMetadata().getNamespace(), spec.connection()),
              recorder,
              clock,
              () -> TokenRotations.tokenIdsOfOthers(resource, cache.all()),
              registry);
      workflow.runFinalizer(session);
      registry.forget(session.key());
      return Optional.empty();
    } catch (RuntimeException e) {
      Failure failure = FailureClassifier.classify(e);
      if (failure.stalled()) {
        LOG.warn(
            "{}: cleanup impossible ({}); removing the finalizer anyway",
            TokenRotations.key(resource),
            failure.reason());
        events.warning(resource, failure.reason(), "Cleanup skipped: " + failure.message());
        return Optional.empty();
      }
      int attempts = status.getFailedAttempts() == null ? 1 : status.getFailedAttempts() + 1;
      LOG.info("{}: cleanup failed ({}), retrying", TokenRotations.key(resource), failure.reason());
      return Optional.of(
          backoff.jittered(attempts, failure.retryAfter(), TokenRotations.jitterKey(resource)));
    }
  }

  // ---------------------------------------------------------------- helpers

  private Optional<Duration> until(Instant wakeAt) {
    return wakeAt == null
        ? Optional.empty()
        : Optional.of(Timestamps.delayUntil(clock.instant(), wakeAt));
  }
}
