package io.tokenrotation.sim.http;

import java.util.Objects;

/**
 * Whether the service takes a request now. A service with limited capacity (Dynatrace's
 * per-environment thread pool) holds a slot from admission until the answer is ready, injected
 * latency included: that latency stands for the time the service spends on the request.
 */
@FunctionalInterface
public interface Admission {
  /** Every request is taken at once. */
  Admission UNLIMITED = request -> Ticket.admitted(() -> {});

  /**
   * May block while the request waits in a queue; never longer than the service's own queue
   * time-out.
   */
  Ticket admit(SimRequest request);

  /**
   * Admitted (with what frees the slot once the answer is ready), or refused with the answer to
   * send instead.
   */
  final class Ticket {
    private final SimResponse refusal;
    private final Runnable release;

    private Ticket(SimResponse refusal, Runnable release) {
      this.refusal = refusal;
      this.release = release;
    }

    public static Ticket admitted(Runnable release) {
      return new Ticket(null, Objects.requireNonNull(release, "release"));
    }

    public static Ticket refused(SimResponse answer) {
      return new Ticket(Objects.requireNonNull(answer, "answer"), () -> {});
    }

    public boolean isRefused() {
      return refusal != null;
    }

    public SimResponse refusal() {
      return refusal;
    }

    /** Frees the slot; called once the answer is ready, before it is written. */
    public void release() {
      release.run();
    }
  }
}
