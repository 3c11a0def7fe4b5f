package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimResponse;
import java.util.List;

/**
 * Dynatrace's error envelope {@code {"error":{"code","message","constraintViolations"?}}}, the body
 * of every non-2xx answer, including injected faults that bring no body of their own.
 */
final class DynatraceErrorBodies {
  static final String AUTH_FAILED = "Token Authentication failed";
  static final String MISSING_AUTH = "Missing authorization parameter.";

  private DynatraceErrorBodies() {}

  static SimResponse of(ApiError error) {
    return envelope(error.status(), error.getMessage(), error.violations());
  }

  static SimResponse envelope(int status, String message, List<ConstraintViolation> violations) {
    ObjectNode body = Json.object();
    ObjectNode error = body.putObject("error");
    error.put("code", status);
    error.put("message", message);
    if (!violations.isEmpty()) {
      ArrayNode list = error.putArray("constraintViolations");
      for (ConstraintViolation v : violations) {
        ObjectNode node = list.addObject();
        node.put("path", v.path());
        node.put("message", v.message());
        node.put("parameterLocation", v.parameterLocation());
        node.put("location", v.location());
      }
    }
    return SimResponse.json(status, body);
  }

  /** The usual answer for a bare status (used for injected faults without a body). */
  static SimResponse forStatus(int status) {
    return envelope(status, defaultMessage(status), List.of());
  }

  static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> AUTH_FAILED;
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "HTTP " + status;
    };
  }
}
