package io.tokenrotation.sim.dynatrace;

import java.util.List;

/**
 * Thrown anywhere in request handling to answer with Dynatrace's error envelope; routes stay
 * linear.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final List<ConstraintViolation> violations;

  ApiError(int status, String message, List<ConstraintViolation> violations) {
    super(message, null, false, false);
    this.status = status;
    this.violations = List.copyOf(violations);
  }

  ApiError(int status, String message) {
    this(status, message, List.of());
  }

  /** 400 "Constraints violated." with the violations, as Dynatrace reports failed validation. */
  static ApiError violations(List<ConstraintViolation> violations) {
    return new ApiError(400, "Constraints violated.", violations);
  }

  static ApiError violation(ConstraintViolation violation) {
    return violations(List.of(violation));
  }

  int status() {
    return status;
  }

  List<ConstraintViolation> violations() {
    return violations;
  }
}
