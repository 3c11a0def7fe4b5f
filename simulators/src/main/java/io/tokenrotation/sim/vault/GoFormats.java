package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vault is written in Go: its times and durations are rendered and parsed the Go way. */
final class GoFormats {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoFormats() {}

  /**
   * Go's time.RFC3339Nano in UTC: fraction with trailing zeros trimmed, none at all for whole
   * seconds.
   */
  static String rfc3339Nano(Instant instant) {
    StringBuilder out = new StringBuilder(SECONDS.format(instant));
    int nanos = instant.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
      out.append('.').append(fraction);
    }
    return out.append('Z').toString();
  }

  /** Go's time.Duration.String() for whole seconds: "0s", "45s", "1h0m0s". */
  static String duration(Duration duration) {
    long total = duration.getSeconds();
    if (total == 0) {
      return "0s";
    }
    long h = total / 3600;
    long m = (total % 3600) / 60;
    long s = total % 60;
    if (h > 0) {
      return h + "h" + m + "m" + s + "s";
    }
    if (m > 0) {
      return m + "m" + s + "s";
    }
    return s + "s";
  }

  /**
   * A Vault duration field: a number of seconds, or a Go duration string ("1h", "90m", "1h30m",
   * "45s").
   */
  static Duration parseDuration(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Duration.ZERO;
    }
    if (node.isNumber()) {
      return Duration.ofSeconds(node.asLong());
    }
    return parseDuration(node.asText());
  }

  static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return Duration.ZERO;
    }
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    Matcher m = DURATION_PART.matcher(t);
    int end = 0;
    double nanos = 0;
    while (m.find() && m.start() == end) {
      double value = Double.parseDouble(m.group(1));
      nanos +=
          value
              * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
      end = m.end();
    }
    if (end != t.length()) {
      throw new IllegalArgumentException("invalid duration");
    }
    return Duration.ofNanos((long) nanos);
  }
}
