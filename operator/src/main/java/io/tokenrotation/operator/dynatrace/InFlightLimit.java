package io.tokenrotation.operator.dynatrace;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code max} requests in flight to one Dynatrace environment, the quantity Dynatrace
 * throttles on: since API 1.210 an environment processes a fixed number of requests at once and
 * queues a few more (contract section 4), a pool every API client of the environment shares.
 * Callers wait for a place in arrival order, as for a pooled connection; the wait is bounded by
 * {@link #MAX_WAIT}, after which the call is refused locally (nothing sent, nothing failed).
 * Thread-safe.
 */
public final class InFlightLimit {
  public static final InFlightLimit UNLIMITED = new InFlightLimit(0);

  /**
   * The longest a call waits for a place: Dynatrace's own queue time-out. A call that would wait
   * longer here would have waited as long in Dynatrace's queue and got a 429 there.
   */
  public static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** After a refused wait the environment is saturated: the resource comes back this much later. */
  public static final Duration RETRY_AFTER_REFUSAL = Duration.ofSeconds(2);

  /** A place among those in flight; closing it frees the place for the next caller. */
  @FunctionalInterface
  public interface Place extends AutoCloseable {
    @Override
    void close();
  }

  private static final Place NO_PLACE_NEEDED = () -> {};

  private final int max;
  private final Semaphore places;
  private final Duration maxWait;

  /** {@code max} 0 = no limit. */
  public InFlightLimit(int max) {
    this(max, MAX_WAIT);
  }

  InFlightLimit(int max, Duration maxWait) {
    if (max < 0) {
      throw new IllegalArgumentException("max in flight must be >= 0");
    }
    this.max = max;
    this.places = new Semaphore(max, true); // fair: the longest waiter goes first
    this.maxWait = maxWait;
  }

  public int max() {
    return max;
  }

  /** A place, waiting at most the bounded wait for one; empty when none freed up in time. */
  public Optional<Place> enter() {
    if (max == 0) {
      return Optional.of(NO_PLACE_NEEDED);
    }
    try {
      if (!places.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the operator is stopping: send nothing more
      return Optional.empty();
    }
    return Optional.of(
        new Place() {
          private boolean closed;

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              places.release();
            }
          }
        });
  }

  /** Callers in flight now (for tests and metrics). */
  public int inFlight() {
    return max == 0 ? 0 : max - places.availablePermits();
  }

  /** Callers waiting for a place now (an estimate, for tests and metrics). */
  public int waiting() {
    return places.getQueueLength();
  }
}
