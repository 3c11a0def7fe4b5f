package io.tokenrotation.operator.rotation;

/**
 * Observes a rotation's progress. Production passes {@link #NONE}; tests use it to crash at a given
 * point.
 */
@FunctionalInterface
public interface Checkpoints {
  Checkpoints NONE = point -> {};

  void reached(Checkpoint point);
}
