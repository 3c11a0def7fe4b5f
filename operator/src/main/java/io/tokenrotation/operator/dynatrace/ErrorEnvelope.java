package io.tokenrotation.operator.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dynatrace's error envelope as parsed ({@code
 * {"error":{"code","message","constraintViolations":[{"path", "message",...}]}}}, contract section
 * 3), from a body already masked of secrets. For decisions that need its structure (which scope a
 * create was refused for); its text never goes into status or events.
 */
record ErrorEnvelope(String message, List<Violation> violations) {
  /** One constraint violation: where ({@code scopes[1]}) and what, as Dynatrace wrote it. */
  record Violation(String path, String message) {}

  /** Empty when the body is not an envelope (no body, HTML from a proxy, another JSON shape). */
  static Optional<ErrorEnvelope> parse(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    JsonNode error;
    try {
      error = OkHttpDynatraceClient.JSON.readTree(body).path("error");
    } catch (Exception e) {
      return Optional.empty();
    }
    if (!error.isObject()) {
      return Optional.empty();
    }
    List<Violation> violations = new ArrayList<>();
    for (JsonNode violation : error.path("constraintViolations")) {
      if (violation.isObject()) {
        violations.add(
            new Violation(violation.path("path").asText(""), violation.path("message").asText("")));
      }
    }
    return Optional.of(
        new ErrorEnvelope(error.path("message").asText(""), List.copyOf(violations)));
  }
}
