package io.tokenrotation.sim.dynatrace;

/**
 * One entry of an error's {@code constraintViolations}; {@code location} is null like the examples
 * in the docs.
 */
record ConstraintViolation(String path, String message, String parameterLocation, String location) {
  static ConstraintViolation body(String path, String message) {
    return new ConstraintViolation(path, message, "PAYLOAD_BODY", null);
  }

  static ConstraintViolation query(String path, String message) {
    return new ConstraintViolation(path, message, "QUERY", null);
  }
}
