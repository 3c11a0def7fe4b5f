package io.tokenrotation.operator.controller;

import io.tokenrotation.operator.policy.Connection;

/** Builds (or reuses) the connections a validated {@link Connection} describes, for a resource of {@code namespace}. */
@FunctionalInterface
public interface ConnectionResolver {
  Upstreams resolve(String namespace, Connection connection);
}
