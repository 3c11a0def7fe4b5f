package io.tokenrotation.operator.connect;

/**
 * Builds (or reuses) the connections a validated {@link ConnectionTarget} describes, for a resource
 * of {@code namespace}.
 */
@FunctionalInterface
public interface ConnectionResolver {
  Connection resolve(String namespace, ConnectionTarget connection);
}
