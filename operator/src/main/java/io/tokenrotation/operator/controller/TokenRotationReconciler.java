package io.tokenrotation.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.policy.Backoff;
import io.tokenrotation.operator.policy.Conditions;
import io.tokenrotation.operator.policy.EffectiveSpec;
import io.tokenrotation.operator.policy.RotationPlanner;
import io.tokenrotation.operator.policy.SpecValidator;
import io.tokenrotation.operator.policy.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles TokenRotations: validates the spec (no I/O), detects two resources fighting over one secret, asks the
 * pure {@link RotationPlanner} what is due, and lets {@link RotationWorkflow} do it. Every status write is done
 * with optimistic locking by the workflow itself, so JOSDK is only asked to reschedule.
 *
 * <p>Generation-aware filtering is off: the rotate-requested-at annotation does not bump the generation.
 */
@ControllerConfiguration(name = TokenRotationReconciler.NAME, generationAwareEventProcessing = false)
public class TokenRotationReconciler implements Reconciler<TokenRotation>, Cleaner<TokenRotation> {
  public static final String NAME = "tokenrotation";
  private static final Logger LOG = LoggerFactory.getLogger(TokenRotationReconciler.class);
  /** Stalled on something outside Kubernetes (Vault policy, Dynatrace token): look again now and then. */
  static final Duration STALLED_RECHECK = Duration.ofMinutes(5);
  /**
   * Stalled by a Conflict: look at the cache again this often (no I/O, no write while nothing changed), so the
   * younger resource takes over soon after its rival is deleted or moved to another secret. Cheaper than a second
   * informer over every TokenRotation just to map one resource's change to its rivals (that doubled the watch
   * traffic and the cache's memory).
   */
  static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);
  /** Steps one reconcile may chain (e.g. resume, then rotate, then retire with a zero grace period). */
  private static final int MAX_STEPS_PER_RECONCILE = 4;

  private final UpstreamResolver upstreams;
  private final StatusStoreFactory statusStores;
  private final EventPublisher events;
  private final Clock clock;
  private final Backoff backoff;
  private final RotationWorkflow workflow;
  private final TokenRegistry registry = new TokenRegistry();
  private final SlotKeys slotKeys = new SlotKeys();
  /**
   * namespace/name -> the instant an upstream told us to wait for (429 X-RateLimit-Reset, Retry-After) when it is
   * later than the backoff in status. Any reconcile before it (a label change, a watch event) makes no call. In
   * memory only: after a restart the status backoff applies again.
   */
  private final Map<String, Instant> upstreamWaits = new java.util.concurrent.ConcurrentHashMap<>();

  /** Builds the StatusStore for one reconcile (it needs JOSDK's context to keep the informer cache fresh). */
  @FunctionalInterface
  public interface StatusStoreFactory {
    StatusStore forContext(Context<TokenRotation> context);
  }

  public TokenRotationReconciler(UpstreamResolver upstreams, StatusStoreFactory statusStores, EventPublisher events,
      Clock clock, Backoff backoff, Checkpoints checkpoints) {
    this.upstreams = upstreams;
    this.statusStores = statusStores;
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
    this.workflow = new RotationWorkflow(events, checkpoints, new TokenNameLocks());
  }

  /** Log lines (and crash-test checkpoints) of a reconcile know which resource they are about. */
  public static final String MDC_RESOURCE = "resource";

  /**
   * The TokenRotation cache is indexed by Vault slot, so finding the resources that name one secret field costs what
   * the slot holds (usually one) rather than a pass over every resource: with thousands of resources, that pass on
   * every reconcile was the operator's main CPU cost.
   */
  @Override
  public List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, TokenRotation>> prepareEventSources(
      io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<TokenRotation> context) {
    context.getPrimaryCache().addIndexer(SLOT_INDEX, this::slotIndex);
    return List.of();
  }

  static final String SLOT_INDEX = "vault-slot";

  private List<String> slotIndex(TokenRotation resource) {
    return slotKeys.of(resource).map(List::of).orElse(List.of());
  }

  @Override
  public UpdateControl<TokenRotation> reconcile(TokenRotation resource, Context<TokenRotation> context) {
    if (resource.statusUnreadable()) {
      return UpdateControl.noUpdate(); // acting on part of it could lose a pending rotation (UnreadableResources)
    }
    try (var ignored = MDC.putCloseable(MDC_RESOURCE, ns(resource) + "/" + name(resource))) {
      return reconcileResource(resource, context);
    }
  }

  private UpdateControl<TokenRotation> reconcileResource(TokenRotation resource, Context<TokenRotation> context) {
    StatusStore store = statusStores.forContext(context);
    SpecValidator.Result validation = SpecValidator.validate(resource.getSpec());
    if (!validation.valid()) {
      return stall(resource, store, Reasons.INVALID_SPEC, validation.summary(), null);
    }
    EffectiveSpec spec = validation.effective().orElseThrow();
    Optional<TokenRotation> owner = slotOwner(resource, spec,
        context.getPrimaryCache().byIndex(SLOT_INDEX, spec.vaultSlotKey()));
    if (owner.isPresent()) {
      return stall(resource, store, Reasons.CONFLICT, "another TokenRotation ("
          + owner.get().getMetadata().getNamespace() + "/" + owner.get().getMetadata().getName()
          + ") already rotates " + spec.mount() + "/" + spec.path() + " field " + spec.field(), CONFLICT_RECHECK);
    }
    Instant notBefore = upstreamWaits.get(key(resource));
    if (notBefore != null) {
      if (clock.instant().isBefore(notBefore)) {
        return reschedule(notBefore); // an upstream asked us to wait (429 reset, Retry-After): no call before that
      }
      upstreamWaits.remove(key(resource), notBefore);
    }
    TokenRotation current = resource;
    RotationSession session = null;
    try {
      Upstreams connections = null;
      for (int step = 0; step < MAX_STEPS_PER_RECONCILE; step++) {
        String request = annotation(current);
        RotationPlanner.Plan plan = RotationPlanner.plan(current.getStatus(), spec, request, clock.instant(), backoff);
        if (plan.step() == RotationPlanner.Step.WAIT) {
          current = markIdle(current, spec, store);
          return reschedule(plan.wakeAt());
        }
        // One set of connections per reconcile (the management token is read once), except when the resource
        // rotates its own management token: after the Vault write the next step must use the successor.
        if (connections == null || spec.rotatesItsManagementToken()) {
          connections = upstreams.resolve(current, spec);
        }
        session = new RotationSession(current, spec, connections, store, clock,
            () -> tokenIdsOfOthers(resource, context.getPrimaryCache().list().toList()), registry);
        switch (plan.step()) {
          case RESUME -> workflow.resume(session);
          case ADOPT -> workflow.adopt(session);
          case ROTATE -> workflow.rotate(session, plan.manual() ? request : null);
          case RETIRE -> workflow.retire(session, false);
          default -> throw new IllegalStateException(plan.step().name());
        }
        current = session.resource();
      }
      return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    } catch (RuntimeException e) {
      // The failure is recorded on the latest stored copy: a step may have written status before it failed (e.g.
      // the pending intent before a refused create), and a write from the copy the step started with is a 409.
      return fail(session != null ? session.resource() : current, store, e);
    }
  }

  @Override
  public DeleteControl cleanup(TokenRotation resource, Context<TokenRotation> context) {
    if (resource.statusUnreadable()) {
      return DeleteControl.noFinalizerRemoval(); // tokens it may still have to retire are unknown: deletion waits
    }
    try (var ignored = MDC.putCloseable(MDC_RESOURCE, ns(resource) + "/" + name(resource))) {
      return cleanupResource(resource, context);
    }
  }

  private DeleteControl cleanupResource(TokenRotation resource, Context<TokenRotation> context) {
    upstreamWaits.remove(key(resource));
    slotKeys.forget(resource); // on every way out, including the early ones below (recomputed if cleanup retries)
    SpecValidator.Result validation = SpecValidator.validate(resource.getSpec());
    TokenRotationStatus status = resource.getStatus();
    if (!validation.valid() || status == null || isConflicting(status)) {
      return DeleteControl.defaultDelete(); // never acted on: nothing to clean up
    }
    EffectiveSpec spec = validation.effective().orElseThrow();
    StatusStore store = statusStores.forContext(context);
    try {
      RotationSession session = new RotationSession(resource, spec, upstreams.resolve(resource, spec), store, clock,
          () -> tokenIdsOfOthers(resource, context.getPrimaryCache().list().toList()), registry);
      if (status.getPendingRotation() != null) {
        workflow.resume(session);
      }
      workflow.retire(session, true);
      String current = session.status().getTokenId();
      if (spec.deletionPolicy() == DeletionPolicy.Revoke && current != null) {
        if (spec.rotatesItsManagementToken()) {
          events.warning(resource, Reasons.DYNATRACE_REJECTED, "deletionPolicy Revoke cannot delete " + current
              + ": it is the management token itself (Dynatrace refuses to delete the calling token)");
        } else {
          upstreams.resolve(session.resource(), spec).dynatrace().delete(current);
          events.normal(resource, Reasons.TOKEN_RETIRED, "Token " + current + " deleted (deletionPolicy Revoke)");
        }
      }
      registry.forget(session.key());
      return DeleteControl.defaultDelete();
    } catch (RuntimeException e) {
      Failure failure = FailureClassifier.classify(e);
      if (failure.stalled()) {
        LOG.warn("{}/{}: cleanup impossible ({}); removing the finalizer anyway", ns(resource), name(resource),
            failure.reason());
        events.warning(resource, failure.reason(), "Cleanup skipped: " + failure.message());
        return DeleteControl.defaultDelete();
      }
      int attempts = status.getFailedAttempts() == null ? 1 : status.getFailedAttempts() + 1;
      LOG.info("{}/{}: cleanup failed ({}), retrying", ns(resource), name(resource), failure.reason());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.delay(attempts, failure.retryAfter()));
    }
  }

  // ---------------------------------------------------------------- conflicts

  /**
   * When several resources name the same Vault secret field, the oldest (then the first by namespace/name) owns it;
   * the others stall with reason Conflict. Decided from the informer cache: no I/O. An owner being deleted keeps the
   * slot until it is gone: its finalizer may still retire or revoke tokens of that secret.
   */
  Optional<TokenRotation> slotOwner(TokenRotation resource, EffectiveSpec spec, List<TokenRotation> all) {
    Comparator<TokenRotation> age = Comparator
        .comparing((TokenRotation r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(r -> ns(r) + "/" + name(r));
    return all.stream()
        .filter(other -> !(ns(other) + "/" + name(other)).equals(ns(resource) + "/" + name(resource)))
        .filter(other -> slotKeys.of(other).map(spec.vaultSlotKey()::equals).orElse(false))
        .filter(other -> age.compare(other, resource) < 0)
        .min(age);
  }

  private static boolean isConflicting(TokenRotationStatus status) {
    return Conditions.find(status.getConditions(), Conditions.STALLED)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && Reasons.CONFLICT.equals(c.getReason())).orElse(false)
        && status.getTokenId() == null;
  }

  static Set<String> tokenIdsOfOthers(TokenRotation self, List<TokenRotation> all) {
    Set<String> ids = new HashSet<>();
    for (TokenRotation other : all) {
      if (!(Objects.equals(ns(other), ns(self)) && Objects.equals(name(other), name(self)))) {
        ids.addAll(TokenRegistry.idsOf(other.getStatus()));
      }
    }
    return ids;
  }

  // ---------------------------------------------------------------- status outcomes

  /** Nothing due: make sure Ready says so (one status write at most, only when something changed). */
  private TokenRotation markIdle(TokenRotation resource, EffectiveSpec spec, StatusStore store) {
    TokenRotationStatus st = resource.getStatus();
    if ((st == null || st.getTokenId() == null) && spec.suspended()) {
      return markSuspendedBeforeAdoption(resource, store);
    }
    if (st == null || st.getTokenId() == null) {
      return resource;
    }
    Instant now = clock.instant();
    Long generation = resource.getMetadata().getGeneration();
    Instant next = RotationPlanner.nextRotation(st, spec);
    String nextText = Timestamps.format(next);
    String reason = spec.suspended() ? Reasons.SUSPENDED : readyReason(st);
    String message = spec.suspended() ? "rotation suspended (spec.suspend); token " + st.getTokenId()
        : readyMessage(st, nextText);
    List<io.fabric8.kubernetes.api.model.Condition> conditions = Conditions.set(st.getConditions(), Conditions.READY,
        true, reason, message, generation, now);
    conditions = Conditions.set(conditions, Conditions.STALLED, false, reason, "", generation, now);
    conditions = Conditions.set(conditions, Conditions.ROTATING, false, Reasons.IDLE, "", generation, now);
    boolean changed = !sameConditions(conditions, st.getConditions()) || !Objects.equals(nextText,
        st.getNextRotationTime()) || !Objects.equals(generation, st.getObservedGeneration());
    if (!changed) {
      return resource;
    }
    final List<io.fabric8.kubernetes.api.model.Condition> updated = conditions;
    st.setConditions(updated);
    st.setNextRotationTime(nextText);
    st.setObservedGeneration(generation);
    return store.write(resource);
  }

  /**
   * Suspended before the first adoption: nothing is known about the token yet (Ready=False), but the user must see
   * why nothing happens rather than an empty status.
   */
  private TokenRotation markSuspendedBeforeAdoption(TokenRotation resource, StatusStore store) {
    TokenRotationStatus st = resource.getStatus() == null ? new TokenRotationStatus() : resource.getStatus();
    Instant now = clock.instant();
    Long generation = resource.getMetadata().getGeneration();
    List<io.fabric8.kubernetes.api.model.Condition> conditions = Conditions.set(st.getConditions(), Conditions.READY,
        false, Reasons.SUSPENDED, "rotation suspended (spec.suspend); no token adopted yet", generation, now);
    conditions = Conditions.set(conditions, Conditions.STALLED, false, Reasons.SUSPENDED, "", generation, now);
    conditions = Conditions.set(conditions, Conditions.ROTATING, false, Reasons.IDLE, "", generation, now);
    if (sameConditions(conditions, st.getConditions()) && Objects.equals(generation, st.getObservedGeneration())) {
      return resource;
    }
    st.setConditions(conditions);
    st.setObservedGeneration(generation);
    resource.setStatus(st);
    return store.write(resource);
  }

  private static String readyReason(TokenRotationStatus st) {
    String reason = Conditions.find(st.getConditions(), Conditions.READY).map(c -> c.getReason()).orElse(null);
    return Reasons.ROTATED.equals(reason) || Reasons.ADOPTED.equals(reason) ? reason
        : st.getLastRotationTime() != null ? Reasons.ROTATED : Reasons.ADOPTED;
  }

  private static String readyMessage(TokenRotationStatus st, String next) {
    return "Vault holds " + st.getTokenId() + "; next rotation at " + next;
  }

  private static boolean sameConditions(List<io.fabric8.kubernetes.api.model.Condition> a,
      List<io.fabric8.kubernetes.api.model.Condition> b) {
    Function<List<io.fabric8.kubernetes.api.model.Condition>, Map<String, List<String>>> key = list ->
        list == null ? Map.of() : list.stream().collect(java.util.stream.Collectors.toMap(c -> c.getType(),
            c -> java.util.Arrays.asList(c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime(),
                String.valueOf(c.getObservedGeneration()))));
    return key.apply(a).equals(key.apply(b));
  }

  private UpdateControl<TokenRotation> stall(TokenRotation resource, StatusStore store, String reason,
      String message, Duration recheck) {
    TokenRotationStatus st = resource.getStatus() == null ? new TokenRotationStatus() : resource.getStatus();
    resource.setStatus(st);
    Instant now = clock.instant();
    Long generation = resource.getMetadata().getGeneration();
    boolean alreadyStalled = Conditions.find(st.getConditions(), Conditions.STALLED)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && reason.equals(c.getReason())
            && Objects.equals(message, c.getMessage()) && Objects.equals(generation, c.getObservedGeneration()))
        .orElse(false);
    if (!alreadyStalled) {
      List<io.fabric8.kubernetes.api.model.Condition> conditions = Conditions.set(st.getConditions(),
          Conditions.STALLED, true, reason, message, generation, now);
      conditions = Conditions.set(conditions, Conditions.READY, false, reason, message, generation, now);
      st.setConditions(conditions);
      st.setObservedGeneration(generation);
      store.write(resource);
      events.warning(resource, reason, message);
      LOG.warn("{}/{}: stalled: {}: {}", ns(resource), name(resource), reason, message);
    }
    return recheck == null ? UpdateControl.noUpdate() : UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(recheck);
  }

  private UpdateControl<TokenRotation> fail(TokenRotation resource, StatusStore store, RuntimeException error) {
    if (error instanceof io.tokenrotation.operator.dynatrace.DynatraceException d && d.locallyThrottled()) {
      // Our own rate limiter said "later": nothing failed and nothing was sent. No status write, no backoff.
      Instant notBefore = clock.instant().plus(d.retryAfter().orElse(Duration.ofSeconds(1)));
      upstreamWaits.put(key(resource), notBefore);
      return reschedule(notBefore);
    }
    Failure failure = FailureClassifier.classify(error);
    if (failure.statusConflict()) {
      LOG.debug("{}/{}: status write conflict, retrying from fresh state", ns(resource), name(resource));
      return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    if (failure.reason().equals(Reasons.INTERNAL_ERROR)) {
      LOG.error("{}/{}: unexpected failure", ns(resource), name(resource), error);
    }
    if (failure.stalled()) {
      try {
        return stall(resource, store, failure.reason(), failure.message(), STALLED_RECHECK);
      } catch (RuntimeException e) {
        return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(Duration.ofSeconds(5));
      }
    }
    TokenRotationStatus st = resource.getStatus() == null ? new TokenRotationStatus() : resource.getStatus();
    resource.setStatus(st);
    Instant now = clock.instant();
    int attempts = st.getFailedAttempts() == null ? 1 : st.getFailedAttempts() + 1;
    Duration delay = backoff.delay(attempts, failure.retryAfter());
    if (delay.compareTo(backoff.delay(attempts, java.util.Optional.empty())) > 0) {
      upstreamWaits.put(key(resource), now.plus(delay));
    }
    LOG.info("{}/{}: {} (attempt {}), retrying in {}", ns(resource), name(resource), failure.reason(), attempts,
        delay);
    try {
      Long generation = resource.getMetadata().getGeneration();
      st.setFailedAttempts(attempts);
      st.setLastFailureTime(Timestamps.format(now));
      String message = failure.message() + " (attempt " + attempts + ")";
      boolean hasToken = st.getTokenId() != null;
      List<io.fabric8.kubernetes.api.model.Condition> conditions = Conditions.set(st.getConditions(),
          Conditions.READY, hasToken, Reasons.RETRYING, message, generation, now);
      conditions = Conditions.set(conditions, Conditions.STALLED, false, failure.reason(), "", generation, now);
      if (st.getPendingRotation() != null) {
        conditions = Conditions.set(conditions, Conditions.ROTATING, true, failure.reason(), message, generation, now);
      }
      st.setConditions(conditions);
      st.setObservedGeneration(generation);
      store.write(resource);
      if (attempts == 1 || attempts % 5 == 0) {
        events.warning(resource, failure.reason(), message);
      }
    } catch (RuntimeException e) {
      LOG.debug("{}/{}: could not record the failure: {}", ns(resource), name(resource), e.toString());
    }
    return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(delay);
  }

  private UpdateControl<TokenRotation> reschedule(Instant wakeAt) {
    if (wakeAt == null) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(RotationPlanner.until(clock.instant(), wakeAt));
  }

  private static String annotation(TokenRotation resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TokenRotation.ROTATE_REQUESTED_AT);
  }

  private static String key(TokenRotation r) {
    return ns(r) + "/" + name(r);
  }

  private static String ns(TokenRotation r) {
    return r.getMetadata().getNamespace();
  }

  private static String name(TokenRotation r) {
    return r.getMetadata().getName();
  }
}
