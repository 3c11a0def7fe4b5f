package io.tokenrotation.operator.api;

/**
 * The one-word summary of a TokenRotation that {@code kubectl get tr} shows in its STATE column, so
 * a failing resource never looks like a healthy one. Derived from the status facts on every write;
 * the conditions carry the details.
 */
public final class RotationState {
  /** Vault holds the token the status names; nothing is failing. */
  public static final String HEALTHY = "Healthy";

  /** A rotation is in progress (pendingRotation is set). */
  public static final String ROTATING = "Rotating";

  /** The last attempt failed transiently; retried with backoff; no rotation is overdue. */
  public static final String RETRYING = "Retrying";

  /**
   * A rotation is due and the attempts fail transiently: the token is older than the spec allows.
   */
  public static final String OVERDUE = "Overdue";

  /** Only a human can fix what failed: see the Stalled condition. */
  public static final String STALLED = "Stalled";

  /** spec.suspend is true. */
  public static final String SUSPENDED = "Suspended";

  /** Seen, not adopted yet. */
  public static final String ADOPTING = "Adopting";

  private RotationState() {}
}
