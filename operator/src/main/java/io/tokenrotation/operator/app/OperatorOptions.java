package io.tokenrotation.operator.app;

import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.rotation.Checkpoints;
import java.time.Clock;

/**
 * Options beyond the environment: tests inject a clock, crash checkpoints and a call listener.
 * {@code metricsPort}: null = no HTTP endpoint (the default, so tests never fight over a port), 0 =
 * an ephemeral port, else that port. {@code lostLeadership} runs when this instance loses the
 * leader Lease while not closing (default: exit, so that Kubernetes restarts the pod instead of two
 * instances acting at once).
 */
public record OperatorOptions(
    Clock clock,
    Checkpoints checkpoints,
    UpstreamCallListener listener,
    Backoff backoff,
    Integer metricsPort,
    Runnable lostLeadership) {
  public static OperatorOptions defaults() {
    return new OperatorOptions(
        Clock.systemUTC(),
        Checkpoints.NONE,
        UpstreamCallListener.NONE,
        Backoff.DEFAULT,
        null,
        () -> System.exit(1));
  }

  public OperatorOptions withClock(Clock clock) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }

  public OperatorOptions withCheckpoints(Checkpoints checkpoints) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }

  public OperatorOptions withBackoff(Backoff backoff) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }

  public OperatorOptions withListener(UpstreamCallListener listener) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }

  public OperatorOptions withMetricsPort(Integer metricsPort) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }

  public OperatorOptions withLostLeadership(Runnable lostLeadership) {
    return new OperatorOptions(clock, checkpoints, listener, backoff, metricsPort, lostLeadership);
  }
}
