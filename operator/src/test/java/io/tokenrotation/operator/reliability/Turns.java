package io.tokenrotation.operator.reliability;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;

/**
 * At most so many holders at once: for the cases of a concurrent test class that would otherwise
 * all run at once. A case waiting for its turn blocks the way JUnit's worker pool (a {@link
 * ForkJoinPool}) compensates for ({@link ForkJoinPool#managedBlock}), so it does not hold a worker
 * that the classes beside it could use.
 */
final class Turns {
  private final Semaphore free;

  Turns(int atOnce) {
    free = new Semaphore(atOnce, true);
  }

  /** Waits for a turn; closing it gives it back. */
  Turn take() throws InterruptedException {
    Turn turn = new Turn();
    ForkJoinPool.managedBlock(turn);
    return turn;
  }

  /** One holder's turn: taken and given back on the same thread. */
  final class Turn implements ForkJoinPool.ManagedBlocker, AutoCloseable {
    private boolean held;

    @Override
    public boolean isReleasable() {
      return held || (held = free.tryAcquire());
    }

    @Override
    public boolean block() throws InterruptedException {
      if (!held) {
        free.acquire();
        held = true;
      }
      return true;
    }

    @Override
    public void close() {
      if (held) {
        held = false;
        free.release();
      }
    }
  }
}
