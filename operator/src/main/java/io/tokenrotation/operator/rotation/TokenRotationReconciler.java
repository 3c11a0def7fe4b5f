package io.tokenrotation.operator.rotation;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.consumers.ConsumerTargets;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.logging.MdcKeys;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.RecentStatusWrites;
import io.tokenrotation.operator.status.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The JOSDK side of TokenRotations: puts the resource's name in the log context, hands the informer
 * cache and a status store to {@link RotationController} (which holds every decision), and turns
 * its answer into a reschedule. Status is written by the controller itself (optimistic locking), so
 * JOSDK is never asked to patch it.
 *
 * <p>Generation-aware filtering is off: the rotate-requested-at annotation does not bump the
 * generation. JOSDK calls it for every event, deletion included, and leaves the finalizer to it
 * ({@link Finalizer}: added just before the first side effect, not by a separate round first).
 */
@ControllerConfiguration(
    name = TokenRotationReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public class TokenRotationReconciler implements Reconciler<TokenRotation> {
  public static final String NAME = "tokenrotation";

  /** Log lines (and crash-test checkpoints) of a reconcile know which resource they are about. */
  static final String SLOT_INDEX = "vault-slot";

  private final StatusStoreFactory statusStores;
  private final RecentStatusWrites recentWrites;
  private final RotationController controller;

  /**
   * Builds the StatusStore for one reconcile (it needs JOSDK's context to keep the informer cache
   * fresh).
   */
  @FunctionalInterface
  public interface StatusStoreFactory {
    StatusStore forContext(Context<TokenRotation> context);
  }

  public TokenRotationReconciler(
      ConnectionResolver upstreams,
      StatusStoreFactory statusStores,
      RecentStatusWrites recentWrites,
      EventPublisher events,
      Clock clock,
      Backoff backoff,
      Checkpoints checkpoints,
      Duration vaultCheckInterval,
      ConsumerTargets consumerTargets) {
    this.statusStores = statusStores;
    this.recentWrites = recentWrites;
    this.controller =
        new RotationController(
            upstreams, events, clock, backoff, checkpoints, vaultCheckInterval, consumerTargets);
  }

  /**
   * The TokenRotation cache is indexed by Vault slot, so finding the resources that name one secret
   * field costs what the slot holds (usually one) rather than a pass over every resource: with
   * thousands of resources, that pass on every reconcile was the operator's main CPU cost.
   */
  @Override
  public List<EventSource<?, TokenRotation>> prepareEventSources(
      EventSourceContext<TokenRotation> context) {
    context
        .getPrimaryCache()
        .addIndexer(SLOT_INDEX, r -> controller.slotOf(r).map(List::of).orElse(List.of()));
    return List.of();
  }

  @Override
  public UpdateControl<TokenRotation> reconcile(
      TokenRotation cached, Context<TokenRotation> context) {
    if (context.isPrimaryResourceDeleted()) {
      recentWrites.forget(cached); // gone from the API server: nothing left to do for it
      return UpdateControl.noUpdate();
    }
    TokenRotation resource = freshest(cached, context);
    if (resource == null) {
      return UpdateControl.noUpdate(); // gone meanwhile
    }
    if (resource.isMarkedForDeletion()) {
      return cleanup(resource, context);
    }
    if (resource.statusUnreadable()) {
      return UpdateControl
          .noUpdate(); // acting on part of it could lose a pending rotation (UnreadableResources)
    }
    try (var ignored = MDC.putCloseable(MdcKeys.RESOURCE, TokenRotations.key(resource))) {
      if (!Finalizer.present(resource)) {
        // before anything else: every token this resource will create is retired on deletion
        resource = stored(context, resource, Finalizer.add(context.getClient(), resource));
        if (resource == null) {
          return UpdateControl.noUpdate();
        }
      }
      Optional<Duration> next =
          controller.reconcile(resource, statusStores.forContext(context), cache(context));
      UpdateControl<TokenRotation> control = UpdateControl.noUpdate();
      return next.map(control::rescheduleAfter).orElse(control);
    }
  }

  /**
   * Marked for deletion: recover, retire and revoke ({@link RotationController#cleanup}), then
   * remove the finalizer. Only for a resource that carries it: without it, nothing was ever done.
   */
  private UpdateControl<TokenRotation> cleanup(
      TokenRotation resource, Context<TokenRotation> context) {
    if (!Finalizer.present(resource)) {
      return UpdateControl.noUpdate();
    }
    if (resource.statusUnreadable()) {
      return UpdateControl
          .noUpdate(); // tokens it may still have to retire are unknown: deletion waits
    }
    try (var ignored = MDC.putCloseable(MdcKeys.RESOURCE, TokenRotations.key(resource))) {
      Optional<Duration> retry =
          controller.cleanup(resource, statusStores.forContext(context), cache(context));
      if (retry.isPresent()) {
        return UpdateControl.<TokenRotation>noUpdate().rescheduleAfter(retry.get());
      }
      Finalizer.remove(context.getClient(), resource);
      recentWrites.forget(resource);
      return UpdateControl.noUpdate();
    }
  }

  /**
   * {@code cached}, or the resource as the API server has it when the informer is still behind this
   * operator's own status writes ({@link RecentStatusWrites}); null when it is gone.
   */
  private TokenRotation freshest(TokenRotation cached, Context<TokenRotation> context) {
    if (!recentWrites.behindOurWrites(cached)) {
      return cached;
    }
    return context
        .getClient()
        .resources(TokenRotation.class)
        .inNamespace(cached.getMetadata().getNamespace())
        .withName(cached.getMetadata().getName())
        .get();
  }

  /**
   * {@code stored} (our patch's result) as the copy later writes build on, for JOSDK's cache and
   * {@link RecentStatusWrites} too, so its watch event starts no reconcile of its own.
   */
  private TokenRotation stored(
      Context<TokenRotation> context, TokenRotation before, TokenRotation stored) {
    if (stored == null) {
      return null;
    }
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, before);
    recentWrites.wrote(before.getMetadata().getResourceVersion(), stored);
    return stored;
  }

  private static RotationController.Cache cache(Context<TokenRotation> context) {
    return new RotationController.Cache() {
      @Override
      public List<TokenRotation> bySlot(String slotKey) {
        return context.getPrimaryCache().byIndex(SLOT_INDEX, slotKey);
      }

      @Override
      public List<TokenRotation> all() {
        return context.getPrimaryCache().list().toList();
      }
    };
  }
}
