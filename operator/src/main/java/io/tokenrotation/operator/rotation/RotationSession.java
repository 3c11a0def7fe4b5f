package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.connect.Connection;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.tokens.TokenRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One reconcile's view of a resource: its latest stored copy, its effective spec and its
 * connections.
 */
final class RotationSession {
  private TokenRotation resource;
  private final EffectiveSpec spec;
  private final Connection upstreams;
  private final RotationStatusRecorder recorder;
  private final Clock clock;
  private final Supplier<Set<String>> tokenIdsOfOtherResources;
  private final TokenRegistry registry;

  RotationSession(
      TokenRotation resource,
      EffectiveSpec spec,
      Connection upstreams,
      RotationStatusRecorder recorder,
      Clock clock,
      Supplier<Set<String>> tokenIdsOfOtherResources,
      TokenRegistry registry) {
    this.registry = registry;
    this.resource = resource;
    this.spec = spec;
    this.upstreams = upstreams;
    this.recorder = recorder;
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

  Connection upstreams() {
    return upstreams;
  }

  Instant now() {
    return clock.instant();
  }

  Long generation() {
    return resource.getMetadata().getGeneration();
  }

  /**
   * Token ids that other TokenRotations hold, have pending or have not retired yet: never orphans
   * of ours.
   */
  Set<String> tokenIdsOfOtherResources() {
    Set<String> ids = new HashSet<>(tokenIdsOfOtherResources.get());
    ids.addAll(registry.idsOfOthers(key()));
    return ids;
  }

  /** {@code namespace/name}. */
  String key() {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /**
   * A successor exists from this moment on: protect it from other resources' orphan sweeps at once.
   */
  void tokenCreated(String tokenId) {
    registry.created(key(), tokenId);
  }

  /**
   * Applies {@code change} to the status facts and stores them through the recorder (conditions
   * derived, optimistic locking); later changes build on the result.
   */
  void persist(Consumer<TokenRotationStatus> change) {
    resource = recorder.record(resource, Optional.of(spec), change);
    if (resource.getStatus() == null) {
      resource.setStatus(new TokenRotationStatus());
    }
    registry.stored(key(), resource.getStatus());
  }
}
