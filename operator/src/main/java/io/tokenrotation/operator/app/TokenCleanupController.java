package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      Optional<String> labelSelector,
      KubernetesClient client,
      UnreadableResources unreadable) {
    TokenRotationView view =
        labelSelector.isPresent()
            ? acrossShards(view(rotations), client, namespaces)
            : view(rotations);
    TokenCleanupReconciler reconciler =
        new TokenCleanupReconciler(upstreams, view, events, clock, backoff);
    return operator.register(
        reconciler,
        c -> {
          if (!namespaces.isEmpty()) {
            c.settingNamespaces(namespaces);
          }
          labelSelector.ifPresent(c::withLabelSelector);
          InformerCaches.<TokenCleanupPolicy>withoutManagedFields(namespaces)
              .ifPresent(c::withItemStore);
          unreadable.filter(c);
        });
  }

  /**
   * A shard (WATCH_LABEL_SELECTOR) caches only its own TokenRotations, but a cleanup policy must
   * never act on a token another shard's TokenRotation names, rotates or retires: every run lists
   * all TokenRotations of the watched namespaces from the API server (one LIST per run), this
   * shard's own taken from its cache, which may be fresher. Nothing while any status cannot be
   * read, as for the cache.
   */
  static TokenRotationView acrossShards(
      TokenRotationView own, KubernetesClient client, Set<String> namespaces) {
    return () ->
        own.snapshot()
            .flatMap(
                mine -> {
                  List<TokenRotation> listed = new ArrayList<>();
                  if (namespaces.isEmpty()) {
                    listed.addAll(
                        client.resources(TokenRotation.class).inAnyNamespace().list().getItems());
                  } else {
                    for (String namespace : namespaces) {
                      listed.addAll(
                          client
                              .resources(TokenRotation.class)
                              .inNamespace(namespace)
                              .list()
                              .getItems());
                    }
                  }
                  if (listed.stream().anyMatch(TokenRotation::statusUnreadable)) {
                    return Optional.empty();
                  }
                  Map<ResourceID, TokenRotation> all = new LinkedHashMap<>();
                  listed.forEach(r -> all.put(ResourceID.fromResource(r), r));
                  mine.forEach(r -> all.put(ResourceID.fromResource(r), r));
                  return Optional.of(List.copyOf(all.values()));
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
