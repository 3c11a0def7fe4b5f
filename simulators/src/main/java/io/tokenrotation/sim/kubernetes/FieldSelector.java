package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A field selector ({@code a.b=x,c!=y}; {@code =} and {@code ==} alike), evaluated on the JSON
 * object: the mock server does not evaluate most field selectors, so {@link KubectlFront} filters
 * lists and watches itself.
 */
record FieldSelector(
    List<Map.Entry<String, String>> equal, List<Map.Entry<String, String>> notEqual) {
  static FieldSelector parse(String selector) {
    List<Map.Entry<String, String>> eq = new ArrayList<>();
    List<Map.Entry<String, String>> ne = new ArrayList<>();
    if (selector != null) {
      for (String term : selector.split(",")) {
        term = term.trim();
        if (term.isEmpty()) {
          continue;
        }
        int neq = term.indexOf("!=");
        if (neq >= 0) {
          ne.add(Map.entry(term.substring(0, neq).trim(), term.substring(neq + 2).trim()));
          continue;
        }
        int at = term.indexOf('=');
        if (at < 0) {
          throw new IllegalArgumentException("invalid field selector term \"" + term + "\"");
        }
        int valueStart = term.startsWith("==", at) ? at + 2 : at + 1;
        eq.add(Map.entry(term.substring(0, at).trim(), term.substring(valueStart).trim()));
      }
    }
    return new FieldSelector(List.copyOf(eq), List.copyOf(ne));
  }

  boolean isEmpty() {
    return equal.isEmpty() && notEqual.isEmpty();
  }

  boolean matches(JsonNode object) {
    for (Map.Entry<String, String> e : equal) {
      if (!field(object, e.getKey()).equals(e.getValue())) {
        return false;
      }
    }
    for (Map.Entry<String, String> e : notEqual) {
      if (field(object, e.getKey()).equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static String field(JsonNode object, String path) {
    JsonNode n = object;
    for (String part : path.split("\\.")) {
      n = n.path(part);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }
}
