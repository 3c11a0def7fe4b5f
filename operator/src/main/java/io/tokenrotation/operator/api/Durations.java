package io.tokenrotation.operator.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go-style durations extended with d (24h) and w (7d): {@code 90m}, {@code 1h30m}, {@code
 * 7d}, {@code 1.5h}.
 */
public final class Durations {
  private static final Pattern WHOLE =
      Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$");
  private static final Pattern PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h|d|w)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "µs",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L,
          "d",
          86_400_000_000_000L,
          "w",
          604_800_000_000_000L);

  /** Far beyond any sensible interval, and small enough that adding it to "now" never overflows. */
  private static final Duration MAX = Duration.ofDays(36_500);

  private Durations() {}

  /** The duration, or throws IllegalArgumentException with a message fit for a user. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration (examples: 90m, 24h, 7d, 1h30m)");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      nanos =
          nanos.add(
              new BigDecimal(m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is longer than 100 years");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /** Short human form for messages: 1h30m, 7d, 45s. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds == 0) {
      return duration.toMillis() + "ms";
    }
    StringBuilder out = new StringBuilder();
    long days = seconds / 86_400;
    seconds %= 86_400;
    if (days > 0) {
      out.append(days).append('d');
    }
    if (seconds / 3600 > 0) {
      out.append(seconds / 3600).append('h');
    }
    if (seconds % 3600 / 60 > 0) {
      out.append(seconds % 3600 / 60).append('m');
    }
    if (seconds % 60 > 0) {
      out.append(seconds % 60).append('s');
    }
    return out.toString();
  }
}
