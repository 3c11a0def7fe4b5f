package io.tokenrotation.operator.http;

/**
 * Told about every upstream HTTP call (for metrics): service, operation, outcome (status code or
 * error kind).
 */
@FunctionalInterface
public interface UpstreamCallListener {
  UpstreamCallListener NONE = (service, operation, outcome) -> {};

  void called(String service, String operation, String outcome);
}
