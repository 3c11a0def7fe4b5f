package io.tokenrotation.sandbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (as written in a Grafana dashboard or a PrometheusRule)
 * reads, and whether a Prometheus text scrape exports them. A small tokenizer, not a parser: it
 * skips strings, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), the label
 * lists of {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/{@code
 * group_right}, numbers and durations, Grafana variables ({@code $namespace}, {@code ${...}},
 * {@code $__rate_interval}); every other identifier that is not a PromQL keyword, function or
 * aggregation is a metric name. An identifier followed by {@code (} that is no known function is
 * reported.
 */
final class PromqlMetrics {
  /**
   * Aggregation operators: may be followed by {@code by}/{@code without} before their {@code (}.
   */
  static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  /** PromQL functions (Prometheus 2.x/3.x), and Grafana's label_values for template queries. */
  static final Set<String> FUNCTIONS =
      Set.of(
          "abs",
          "absent",
          "absent_over_time",
          "acos",
          "acosh",
          "asin",
          "asinh",
          "atan",
          "atanh",
          "avg_over_time",
          "ceil",
          "changes",
          "clamp",
          "clamp_max",
          "clamp_min",
          "cos",
          "cosh",
          "count_over_time",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "deg",
          "delta",
          "deriv",
          "end",
          "exp",
          "floor",
          "histogram_avg",
          "histogram_count",
          "histogram_fraction",
          "histogram_quantile",
          "histogram_stddev",
          "histogram_stdvar",
          "histogram_sum",
          "holt_winters",
          "double_exponential_smoothing",
          "hour",
          "idelta",
          "increase",
          "irate",
          "label_join",
          "label_replace",
          "last_over_time",
          "ln",
          "log10",
          "log2",
          "mad_over_time",
          "max_over_time",
          "min_over_time",
          "minute",
          "month",
          "pi",
          "predict_linear",
          "present_over_time",
          "quantile_over_time",
          "rad",
          "rate",
          "resets",
          "round",
          "scalar",
          "sgn",
          "sin",
          "sinh",
          "sort",
          "sort_by_label",
          "sort_by_label_desc",
          "sort_desc",
          "sqrt",
          "start",
          "stddev_over_time",
          "stdvar_over_time",
          "sum_over_time",
          "tan",
          "tanh",
          "time",
          "timestamp",
          "vector",
          "year",
          "label_values");

  /** Keywords that are not functions: binary operators, modifiers, literals. */
  static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "atan2",
          "Inf",
          "inf",
          "NaN",
          "nan",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right");

  /** Keywords followed by a parenthesised list of label names (optional for the group_ ones). */
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private static final Pattern IDENTIFIER_START = Pattern.compile("[a-zA-Z_:]");

  /** What one expression reads, and what is wrong with it (empty when nothing). */
  record Analysis(Set<String> metrics, List<String> problems) {}

  private PromqlMetrics() {}

  /** The metric names {@code expr} reads, and its problems (unbalanced, unknown function). */
  static Analysis analyse(String expr) {
    Set<String> metrics = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    String balance = unbalanced(expr);
    if (balance != null) {
      problems.add(balance + ": " + expr);
      return new Analysis(metrics, problems);
    }
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipPast(expr, i, '{', '}');
      } else if (c == '[') {
        i = skipPast(expr, i, '[', ']');
      } else if (c == '$') {
        i++;
        if (i < n && expr.charAt(i) == '{') {
          i = skipPast(expr, i, '{', '}');
        } else {
          while (i < n && isIdentifierPart(expr.charAt(i))) {
            i++;
          }
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && isDigit(expr, i + 1))) {
        // a number or a duration (3600, 1e3, 0x1f, 5m, 1h30m)
        while (i < n && (isIdentifierPart(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else if (IDENTIFIER_START.matcher(String.valueOf(c)).matches()) {
        int start = i;
        while (i < n && isIdentifierPart(expr.charAt(i))) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpaces(expr, i);
        boolean call = next < n && expr.charAt(next) == '(';
        if (word.equals("label_values") && call) {
          // Grafana's template query label_values([selector,] label): only the selector reads a
          // metric
          int end = skipPast(expr, next, '(', ')');
          String args = expr.substring(next + 1, end - 1);
          int comma = lastTopLevelComma(args);
          if (comma >= 0) {
            Analysis selector = analyse(args.substring(0, comma));
            metrics.addAll(selector.metrics());
            problems.addAll(selector.problems());
          }
          i = end;
        } else if (LABEL_LISTS.contains(word)) {
          if (call) {
            i = skipPast(expr, next, '(', ')');
          }
        } else if (word.equals("offset")) {
          i = skipOffset(expr, next);
        } else if (KEYWORDS.contains(word)) {
          // an operator or a literal
        } else if (AGGREGATIONS.contains(word) && (call || startsWithGrouping(expr, next))) {
          // an aggregation; its grouping is skipped as a label list
        } else if (call) {
          if (!FUNCTIONS.contains(word)) {
            problems.add("unknown function " + word + "(: " + expr);
          }
        } else {
          metrics.add(word);
        }
      } else {
        i++;
      }
    }
    return new Analysis(metrics, problems);
  }

  /**
   * The names a scrape does not export: one is exported when a sample line starts with it followed
   * by {@code {} or a space, or a {@code # TYPE} line names it; {@code _bucket}/{@code _sum}/{@code
   * _count} of a histogram (and {@code _sum}/{@code _count} of a summary) are exported with their
   * base name's family.
   */
  static Set<String> notExported(Collection<String> names, String scrape) {
    Set<String> missing = new TreeSet<>();
    for (String name : names) {
      if (!exported(name, scrape)) {
        missing.add(name);
      }
    }
    return missing;
  }

  static boolean exported(String name, String scrape) {
    if (family(name, scrape) != null) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String type = family(base, scrape);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The type a scrape declares for {@code name} ("untyped" when only samples show it), or null. */
  private static String family(String name, String scrape) {
    String type = null;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE " + name + " ")) {
        return line.substring(("# TYPE " + name + " ").length()).trim();
      }
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        type = "untyped";
      }
    }
    return type;
  }

  /** Null when parentheses, braces and brackets (outside strings) pair up, else what is wrong. */
  static String unbalanced(String expr) {
    StringBuilder open = new StringBuilder();
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int end = skipString(expr, i);
        if (end > expr.length()) {
          return "unterminated string at " + i;
        }
        i = end - 1;
      } else if (c == '(' || c == '{' || c == '[') {
        open.append(c);
      } else if (c == ')' || c == '}' || c == ']') {
        char expected = c == ')' ? '(' : c == '}' ? '{' : '[';
        if (open.isEmpty() || open.charAt(open.length() - 1) != expected) {
          return "unbalanced " + c + " at " + i;
        }
        open.setLength(open.length() - 1);
      }
    }
    return open.isEmpty() ? null : "unclosed " + open;
  }

  private static int lastTopLevelComma(String args) {
    int depth = 0;
    int comma = -1;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(args, i) - 1;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        comma = i;
      }
    }
    return comma;
  }

  private static boolean startsWithGrouping(String expr, int i) {
    return expr.startsWith("by", i) || expr.startsWith("without", i);
  }

  /** After {@code offset}: an optional minus and a duration. */
  private static int skipOffset(String expr, int i) {
    if (i < expr.length() && expr.charAt(i) == '-') {
      i++;
    }
    while (i < expr.length() && isIdentifierPart(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipSpaces(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  /** From an opening bracket at {@code i}: the index after its closing one (strings skipped). */
  private static int skipPast(String expr, int i, char open, char close) {
    int depth = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return i;
  }

  /** From a quote at {@code i}: the index after the closing quote (past the end if none). */
  private static int skipString(String expr, int i) {
    char quote = expr.charAt(i);
    i++;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
        continue;
      }
      if (c == quote) {
        return i + 1;
      }
      i++;
    }
    return expr.length() + 1;
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static boolean isDigit(String expr, int i) {
    return Character.isDigit(expr.charAt(i));
  }
}
