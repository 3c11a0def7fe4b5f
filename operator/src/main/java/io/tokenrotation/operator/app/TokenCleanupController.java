package io.tokenrotation.operator.app;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.cleanup.TokenCleanupReconciler;
import io.tokenrotation.operator.cleanup.TokenRotationView;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.status.EventPublisher;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the TokenCleanupPolicy controller beside the TokenRotation one, in the same namespaces.
 */
final class TokenCleanupController {
  private TokenCleanupController() {}

  static RegisteredController<TokenCleanupPolicy> register(
      Operator operator,
      RegisteredController<TokenRotation> rotations,
      ConnectionResolver upstreams,
      EventPublisher events,
      Clock clock,
      Backoff backoff,
      Set<String> namespaces,
      UnreadableResources unreadable) {
    TokenCleanupReconciler reconciler =
        new TokenCleanupReconciler(upstreams, view(rotations), events, clock, backoff);
    return operator.register(
        reconciler,
        c -> {
          if (!namespaces.isEmpty()) {
            c.settingNamespaces(namespaces);
          }
          unreadable.filter(c);
        });
  }

  /**
   * The TokenRotation controller's own cache: no second watch and no second copy of every
   * TokenRotation in memory, and {@code get} also sees the status a reconcile wrote a moment ago
   * (JOSDK's temporary cache) before the watch event brings it. Empty until every informer of that
   * controller has synced, and while a TokenRotation's status cannot be read: which tokens it
   * protects is unknown then (it may be rotating or retiring any), so no run acts until it can be
   * read (that resource is reported, see UnreadableResources).
   */
  static TokenRotationView view(RegisteredController<TokenRotation> rotations) {
    if (!(rotations instanceof Controller<TokenRotation> controller)) {
      throw new IllegalStateException("unexpected controller type " + rotations.getClass());
    }
    return () -> {
      ControllerEventSource<TokenRotation> source =
          controller.getEventSourceManager().getControllerEventSource();
      var informers = source.informerHealthIndicators().values();
      if (informers.isEmpty() || !informers.stream().allMatch(InformerHealthIndicator::hasSynced)) {
        return Optional.empty();
      }
      List<TokenRotation> all =
          source.list().map(r -> source.get(ResourceID.fromResource(r)).orElse(r)).toList();
      if (all.stream().anyMatch(TokenRotation::statusUnreadable)) {
        return Optional.empty();
      }
      return Optional.of(all);
    };
  }
}
