package io.tokenrotation.operator.rotation.plan.schedule;

import java.util.List;
import java.util.Locale;

/**
 * One of the five fields of a cron expression: its range, its names, and how its text becomes a bit
 * set (bit {@code n} set when the value {@code n} matches).
 *
 * <p>Messages name the field and quote at most {@link #SHOWN} characters of it: they end up in a
 * Kubernetes status condition, where a pasted essay would crowd out everything else.
 */
enum CronField {
  MINUTE("minute", 0, 59, 59, List.of(), ""),
  HOUR("hour", 0, 23, 23, List.of(), ""),
  DAY_OF_MONTH("day-of-month", 1, 31, 31, List.of(), ""),
  MONTH(
      "month",
      1,
      12,
      12,
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
      "month name (JAN-DEC)"),
  // 7 is Sunday as well as 0 (Vixie cron); * and a/n stop at 6 so that Sunday is counted once.
  DAY_OF_WEEK(
      "day-of-week",
      0,
      7,
      6,
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"),
      "day name (SUN-SAT)");

  static final int SHOWN = 30;

  private final String label;
  private final int min;
  private final int max;
  private final int starMax;
  private final List<String> names;
  private final String nameKind;

  CronField(String label, int min, int max, int starMax, List<String> names, String nameKind) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.starMax = starMax;
    this.names = names;
    this.nameKind = nameKind;
  }

  /** The matching values as bits, or throws IllegalArgumentException naming this field. */
  long parse(String text) {
    long bits = 0;
    for (String element : text.split(",", -1)) {
      bits |= element(text, element);
    }
    if (this == DAY_OF_WEEK && (bits & 1L << 7) != 0) {
      bits = bits & ~(1L << 7) | 1L;
    }
    return bits;
  }

  /** Whether the text means every value, which matters for the day-of-month/day-of-week rule. */
  static boolean isStar(String text) {
    return text.equals("*") || text.equals("*/1");
  }

  private long element(String field, String element) {
    if (element.isEmpty()) {
      throw problem(field, "empty list element");
    }
    String[] rangeAndStep = element.split("/", -1);
    if (rangeAndStep.length > 2) {
      throw problem(field, quoted(element) + " has more than one /");
    }
    String range = rangeAndStep[0];
    boolean stepped = rangeAndStep.length == 2;
    long step = stepped ? digits(field, element, rangeAndStep[1]) : 1;
    if (step < 1) {
      throw problem(field, "step must be at least 1");
    }
    int low;
    int high;
    if (range.equals("*")) {
      low = min;
      high = starMax;
    } else if (range.contains("-")) {
      String[] ends = range.split("-", -1);
      if (ends.length != 2) {
        throw problem(field, quoted(element) + " is not a range");
      }
      low = value(field, element, ends[0]);
      high = value(field, element, ends[1]);
      if (this == DAY_OF_WEEK && low > 0 && ends[1].equalsIgnoreCase("SUN")) {
        high = 7; // SAT-SUN: SUN ending a range is the 7 that also means Sunday
      }
      if (low > high) {
        throw problem(field, "range " + low + "-" + high + " is backwards");
      }
    } else {
      low = value(field, element, range);
      // a/n means a-max/n, as in Kubernetes CronJobs.
      high = stepped ? Math.max(low, starMax) : low;
    }
    long bits = 0;
    // A step beyond the field's span picks the start only; capping it keeps v from overflowing.
    for (int v = low; v <= high; v += (int) Math.min(step, 64)) {
      bits |= 1L << v;
    }
    return bits;
  }

  private int value(String field, String element, String token) {
    int index = names.indexOf(token.toUpperCase(Locale.ROOT));
    if (index >= 0) {
      return min == 0 ? index : index + 1;
    }
    long n = digits(field, element, token);
    if (n < min || n > max) {
      throw problem(field, shown(token) + " is out of range " + min + "-" + max);
    }
    return (int) n;
  }

  private long digits(String field, String element, String token) {
    if (token.isEmpty()) {
      throw problem(field, quoted(element) + " is missing a number");
    }
    if (!token.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw problem(field, unsupported(token));
    }
    // More than nine digits is beyond any range or step that means something, and cannot overflow.
    return token.length() > 9 ? Long.MAX_VALUE : Long.parseLong(token);
  }

  /** What is wrong with a value that is neither a number nor a name: Quartz syntax, or a typo. */
  private String unsupported(String token) {
    String upper = token.toUpperCase(Locale.ROOT);
    if (upper.contains("?")) {
      return "? is not supported; use *";
    }
    if (upper.contains("#")) {
      return "# (nth weekday of the month) is not supported";
    }
    if (upper.matches("[0-9]*W|LW")) {
      return "W (nearest weekday) is not supported";
    }
    if (upper.matches("[0-9]*L")) {
      return "L (last day) is not supported";
    }
    String expected = names.isEmpty() ? "a number" : "a number or " + nameKind;
    return quoted(token) + " is not " + expected;
  }

  private IllegalArgumentException problem(String field, String what) {
    return new IllegalArgumentException(label + " field " + quoted(field) + ": " + what);
  }

  private static String quoted(String text) {
    return "\"" + shown(text) + "\"";
  }

  private static String shown(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN - 3) + "...";
  }
}
