package io.tokenrotation.sim.dynatrace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Dynatrace's throttling since API 1.210 (contract section 4): a per-environment pool processes
 * {@code parallel} requests at once; the others wait in a FIFO queue of {@code queue} places; a
 * request finding the queue full, or waiting longer than the queue time-out, is refused. Time in
 * the queue is read from the simulator's clock, so a test moves a {@code SettableClock} instead of
 * sleeping. Thread-safe.
 */
final class CapacityGate {
  /**
   * A waiter re-reads the clock at least this often: a test's settable clock jumps without telling
   * anyone. With the system clock the wait ends on time anyway.
   */
  private static final long CLOCK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  enum Outcome {
    ADMITTED,
    QUEUE_FULL,
    QUEUE_TIMEOUT
  }

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Waiter> waiting = new ArrayDeque<>();

  /** Signalled on every change of what the gate holds, for {@link #awaitLoad}. */
  private final Condition changed = lock.newCondition();

  private boolean limited;
  private int parallel;
  private int queue;
  private Duration queueTimeout = Duration.ZERO;
  private int processing;
  private long refusedQueueFull;
  private long refusedQueueTimeout;

  CapacityGate(Clock clock) {
    this.clock = clock;
  }

  /**
   * From now on at most {@code parallel} at once and {@code queue} waiting; waiters are re-examined
   * at once.
   */
  void limit(int parallel, int queue, Duration queueTimeout) {
    lock.lock();
    try {
      this.limited = true;
      this.parallel = parallel;
      this.queue = queue;
      this.queueTimeout = queueTimeout;
      this.refusedQueueFull = 0;
      this.refusedQueueTimeout = 0;
      changed.signalAll();
      waiting.forEach(w -> w.turn.signal());
    } finally {
      lock.unlock();
    }
  }

  /** No limit any more: whoever waits goes on. */
  void open() {
    lock.lock();
    try {
      limited = false;
      changed.signalAll();
      waiting.forEach(w -> w.turn.signal());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a place among those processed, waiting in the queue if need be. {@link #leave()} after
   * ADMITTED.
   */
  Outcome enter() {
    lock.lock();
    try {
      if (!limited || waiting.isEmpty() && processing < parallel) {
        processing++;
        changed.signalAll();
        return Outcome.ADMITTED;
      }
      if (waiting.size() >= queue) {
        refusedQueueFull++;
        changed.signalAll();
        return Outcome.QUEUE_FULL;
      }
      return awaitTurn(new Waiter(lock.newCondition(), clock.instant()));
    } finally {
      lock.unlock();
    }
  }

  /** A processed request's answer is ready: its place goes to the head of the queue. */
  void leave() {
    lock.lock();
    try {
      processing--;
      changed.signalAll();
      wakeHead();
    } finally {
      lock.unlock();
    }
  }

  CapacityLoad load() {
    lock.lock();
    try {
      return new CapacityLoad(processing, waiting.size(), refusedQueueFull, refusedQueueTimeout);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the load satisfies {@code until}, at most {@code timeout}; for tests (no polling,
   * no sleeping).
   */
  boolean awaitLoad(Predicate<CapacityLoad> until, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!until.test(load())) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private Outcome awaitTurn(Waiter me) {
    waiting.addLast(me);
    changed.signalAll();
    try {
      while (true) {
        if (!limited || waiting.peekFirst() == me && processing < parallel) {
          waiting.remove(me);
          processing++;
          changed.signalAll();
          wakeHead(); // the limit may have grown: the next one may go too
          return Outcome.ADMITTED;
        }
        Duration waited = Duration.between(me.since, clock.instant());
        if (waited.compareTo(queueTimeout) >= 0) {
          waiting.remove(me);
          refusedQueueTimeout++;
          changed.signalAll();
          wakeHead();
          return Outcome.QUEUE_TIMEOUT;
        }
        me.turn.awaitNanos(Math.min(queueTimeout.minus(waited).toNanos(), CLOCK_POLL_NANOS));
      }
    } catch (InterruptedException e) {
      // The simulator is shutting down: nobody will read the answer.
      waiting.remove(me);
      wakeHead();
      Thread.currentThread().interrupt();
      return Outcome.QUEUE_TIMEOUT;
    }
  }

  private void wakeHead() {
    Waiter head = waiting.peekFirst();
    if (head != null) {
      head.turn.signal();
    }
  }

  /** One queued request (identity matters: two may arrive at the same instant). */
  private static final class Waiter {
    final Condition turn;
    final Instant since;

    Waiter(Condition turn, Instant since) {
      this.turn = turn;
      this.since = since;
    }
  }
}
