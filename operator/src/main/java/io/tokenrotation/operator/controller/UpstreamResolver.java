package io.tokenrotation.operator.controller;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.policy.EffectiveSpec;

/** Builds (or reuses) the connections a resource's spec describes. */
@FunctionalInterface
public interface UpstreamResolver {
  Upstreams resolve(TokenRotation resource, EffectiveSpec spec);
}
