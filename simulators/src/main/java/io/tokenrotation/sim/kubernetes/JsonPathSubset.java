package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath of CRD printer columns ({@code additionalPrinterColumns[].jsonPath}), as {@link
 * Tables} uses it.
 */
final class JsonPathSubset {
  private JsonPathSubset() {}

  /**
   * The JSONPath subset of printer columns: {@code .a.b}, {@code [0]}, {@code [*]} and filters
   * {@code [?(@.type=="Ready")]} (==, != against a quoted string, number or boolean; or just
   * existence).
   */
  static List<JsonNode> evaluate(JsonNode root, String expression) {
    String expr = expression.trim();
    if (expr.startsWith("{") && expr.endsWith("}")) {
      expr = expr.substring(1, expr.length() - 1).trim();
    }
    if (expr.startsWith("$")) {
      expr = expr.substring(1);
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    int i = 0;
    while (i < expr.length() && !current.isEmpty()) {
      char c = expr.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < expr.length() && expr.charAt(end) != '.' && expr.charAt(end) != '[') {
          end++;
        }
        String name = expr.substring(i + 1, end);
        i = end;
        if (name.isEmpty()) {
          continue; // a dot before a bracket, e.g. ".conditions.[0]"
        }
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
          if (n.isObject() && n.has(name)) {
            next.add(n.get(name));
          }
        }
        current = next;
      } else if (c == '[') {
        int end = closingBracket(expr, i);
        String inner = expr.substring(i + 1, end).trim();
        i = end + 1;
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
          if (inner.equals("*")) {
            n.elements().forEachRemaining(next::add);
          } else if (inner.startsWith("?(") && inner.endsWith(")")) {
            String filter = inner.substring(2, inner.length() - 1).trim();
            if (n.isArray()) {
              for (JsonNode element : n) {
                if (matchesFilter(element, filter)) {
                  next.add(element);
                }
              }
            }
          } else if (inner.matches("-?\\d+")) {
            int index = Integer.parseInt(inner);
            if (n.isArray()) {
              int at = index < 0 ? n.size() + index : index;
              if (at >= 0 && at < n.size()) {
                next.add(n.get(at));
              }
            }
          } else {
            String key = unquote(inner);
            if (n.isObject() && n.has(key)) {
              next.add(n.get(key));
            }
          }
        }
        current = next;
      } else {
        return List.of(); // unsupported syntax: no value, like a failed lookup
      }
    }
    return current;
  }

  private static int closingBracket(String expr, int open) {
    char quote = 0;
    for (int i = open + 1; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ']') {
        return i;
      }
    }
    return expr.length() - 1;
  }

  private static boolean matchesFilter(JsonNode element, String filter) {
    String op = filter.contains("!=") ? "!=" : filter.contains("==") ? "==" : null;
    String left = op == null ? filter : filter.substring(0, filter.indexOf(op)).trim();
    if (!left.startsWith("@")) {
      return false;
    }
    List<JsonNode> found = evaluate(element, left.substring(1));
    if (op == null) {
      return !found.isEmpty();
    }
    String right = filter.substring(filter.indexOf(op) + 2).trim();
    boolean equal = !found.isEmpty() && literalEquals(found.get(0), right);
    return op.equals("==") ? equal : !equal;
  }

  private static boolean literalEquals(JsonNode value, String literal) {
    if (literal.startsWith("\"") || literal.startsWith("'")) {
      return value.isTextual() && value.asText().equals(unquote(literal));
    }
    if (literal.equals("true") || literal.equals("false")) {
      return value.isBoolean() && value.asBoolean() == Boolean.parseBoolean(literal);
    }
    try {
      return value.isNumber() && value.decimalValue().compareTo(new BigDecimal(literal)) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
