package io.tokenrotation.operator.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.operator.http.Redaction;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns a Dynatrace error answer (envelope {@code
 * {"error":{"code","message","constraintViolations"}}} or empty) into a typed exception. {@code
 * body} must already be masked of secrets.
 */
final class DynatraceErrors {
  static final Duration MIN_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private DynatraceErrors() {}

  static DynatraceException from(
      String operation, int status, String body, String rateLimitReset, String retryAfter) {
    DynatraceException.Kind kind =
        switch (status) {
          case 400 -> DynatraceException.Kind.BAD_REQUEST;
          case 401 -> DynatraceException.Kind.UNAUTHORIZED;
          case 403 -> DynatraceException.Kind.FORBIDDEN;
          case 404 -> DynatraceException.Kind.NOT_FOUND;
          case 429 -> DynatraceException.Kind.RATE_LIMITED;
          default ->
              status >= 500
                  ? DynatraceException.Kind.SERVER_ERROR
                  : DynatraceException.Kind.BAD_REQUEST;
        };
    String message = "Dynatrace " + operation + ": HTTP " + status + upstreamMessage(status, body);
    Duration wait =
        status == 429 || status == 503
            ? waitFrom(rateLimitReset, retryAfter, System.currentTimeMillis()).orElse(null)
            : null;
    return DynatraceException.answered(
        kind, status, message, wait, ErrorEnvelope.parse(body).orElse(null));
  }

  /**
   * The envelope's message and first constraint violation, redacted and shortened; the upstream
   * code only when it differs from the HTTP status (usually it repeats it). Anything but an
   * envelope (HTML from a proxy) is left out.
   */
  private static String upstreamMessage(int status, String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode error = OkHttpDynatraceClient.JSON.readTree(body).path("error");
      StringBuilder text = new StringBuilder(error.path("message").asText(""));
      JsonNode violation = error.path("constraintViolations").path(0);
      if (violation.isObject()) {
        text.append(text.isEmpty() ? "" : "; ")
            .append(violation.path("path").asText("?"))
            .append(": ")
            .append(violation.path("message").asText(""));
      }
      int code = error.path("code").asInt(status);
      if (code != status) {
        text.insert(0, "code " + code + (text.isEmpty() ? "" : ": "));
      }
      return text.isEmpty() ? "" : " (" + Redaction.excerpt(text.toString(), 160) + ")";
    } catch (Exception e) {
      return "";
    }
  }

  /**
   * The upstream's own wait, only when it sends one. Dynatrace has sent no rate-limit header since
   * API 1.210 (it throttles by capacity: contract section 4), so a bare 429 or 503 gives empty and
   * the jittered exponential backoff alone decides; inventing a fixed wait here would make a whole
   * fleet retry in lockstep. When present: X-RateLimit-Reset, documented (pre-1.210) as a timestamp
   * in microseconds, but read as seconds or millis by clients in the wild: the unit is inferred by
   * magnitude; else Retry-After in seconds (an HTTP-date is ignored). Clamped to [1 s, 5 min].
   */
  static Optional<Duration> waitFrom(String reset, String retryAfter, long nowMillis) {
    Duration wait = null;
    if (reset != null && !reset.isBlank()) {
      try {
        long value = Long.parseLong(reset.trim());
        long resetMillis =
            value > 100_000_000_000_000L
                ? value / 1000
                : value > 100_000_000_000L ? value : value * 1000;
        wait = Duration.ofMillis(resetMillis - nowMillis);
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    if (wait == null && retryAfter != null && !retryAfter.isBlank()) {
      try {
        wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
      } catch (NumberFormatException ignored) {
        // an HTTP-date Retry-After: no usable hint
      }
    }
    if (wait == null) {
      return Optional.empty();
    }
    return Optional.of(
        wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
  }
}
