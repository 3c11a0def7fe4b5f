package io.tokenrotation.operator.testing;

import io.tokenrotation.operator.rotation.Checkpoint;
import io.tokenrotation.operator.rotation.Checkpoints;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checkpoints that kill the operator the first time {@code point} is reached: an Error there, and
 * at every checkpoint after it, so nothing more happens in that process (like a killed one) until
 * the test stops it and starts a fresh operator.
 */
public final class CrashOnce implements Checkpoints {
  private final Checkpoint point;
  private final AtomicBoolean crashed = new AtomicBoolean();

  public CrashOnce(Checkpoint point) {
    this.point = point;
  }

  @Override
  public void reached(Checkpoint reached) {
    if (crashed.get()) {
      throw new Error("the operator is dead");
    }
    if (reached == point && crashed.compareAndSet(false, true)) {
      throw new Error("crash at " + point);
    }
  }

  /** For {@code await().untilTrue(...)}. */
  public AtomicBoolean crashed() {
    return crashed;
  }
}
