package io.tokenrotation.sim.http;

/**
 * The behaviour of one simulated service. Runs on many threads at once: implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface SimHandler {
  SimResponse handle(SimRequest request) throws Exception;
}
