package io.tokenrotation.operator.controller;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.policy.EffectiveSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One reconcile's view of a resource: its latest stored copy, its effective spec and its connections. */
final class RotationSession {
  private TokenRotation resource;
  private final EffectiveSpec spec;
  private final Upstreams upstreams;
  private final StatusStore store;
  private final Clock clock;
  private final Supplier<Set<String>> tokenIdsOfOtherResources;

  RotationSession(TokenRotation resource, EffectiveSpec spec, Upstreams upstreams, StatusStore store, Clock clock,
      Supplier<Set<String>> tokenIdsOfOtherResources) {
    this.resource = resource;
    this.spec = spec;
    this.upstreams = upstreams;
    this.store = store;
    this.clock = clock;
    this.tokenIdsOfOtherResources = tokenIdsOfOtherResources;
    if (resource.getStatus() == null) {
      resource.setStatus(new TokenRotationStatus());
    }
  }

  TokenRotation resource() {
    return resource;
  }

  TokenRotationStatus status() {
    return resource.getStatus();
  }

  EffectiveSpec spec() {
    return spec;
  }

  Upstreams upstreams() {
    return upstreams;
  }

  Instant now() {
    return clock.instant();
  }

  Long generation() {
    return resource.getMetadata().getGeneration();
  }

  /** Token ids that other TokenRotations hold, have pending or have not retired yet: never orphans of ours. */
  Set<String> tokenIdsOfOtherResources() {
    return tokenIdsOfOtherResources.get();
  }

  /** Applies {@code change} to the status and stores it (optimistic locking); later changes build on the result. */
  void persist(Consumer<TokenRotationStatus> change) {
    change.accept(resource.getStatus());
    resource.getStatus().setObservedGeneration(generation());
    resource = store.write(resource);
    if (resource.getStatus() == null) {
      resource.setStatus(new TokenRotationStatus());
    }
  }
}
