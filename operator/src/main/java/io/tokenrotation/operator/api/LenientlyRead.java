package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec or status as {@link LenientReader} read it: besides the values it understood, what it
 * could not read — one problem per value (an unknown enum value, a string where an object belongs,
 * a field this version does not know) — and the original JSON of each such value, which {@link
 * LenientWriter} writes back unchanged. Nothing here is part of the schema or of the JSON.
 *
 * <p>Why keep the original: JOSDK hands the reconciler a copy made by serializing and reading the
 * resource again. A value that was merely dropped would be absent in that copy and silently take
 * its default (an unknown {@code oldToken.action} would become {@code Delete}); written back
 * verbatim, it fails again in the copy and is reported again. And no write of the operator can
 * replace what a user (or a newer operator) wrote with a default.
 */
public abstract class LenientlyRead {
  /**
   * JSON pointer (relative to this object; "" = all of it) to the original value that could not be
   * read.
   */
  @JsonIgnore private final Map<String, JsonNode> unreadValues = new LinkedHashMap<>();

  /**
   * Dotted paths of those values (spec.oldToken.action), to tell other problems inside them apart.
   */
  @JsonIgnore private final List<String> unreadPaths = new ArrayList<>();

  /**
   * One line per value: where, and what is wrong with it, in the operator's words (never the value
   * itself).
   */
  @JsonIgnore private final List<String> readProblems = new ArrayList<>();

  /** True when every value was understood. */
  public boolean fullyRead() {
    return readProblems.isEmpty();
  }

  /**
   * "spec.oldToken.action: unknown value (supported: Delete, Disable, DisableThenDelete)"; empty
   * when fully read.
   */
  public List<String> readProblems() {
    return List.copyOf(readProblems);
  }

  /**
   * True when {@code problem} (a validator's "spec.vault: required") is about a value listed in
   * {@link #readProblems()} or something inside it: reported once, as unreadable, is enough.
   */
  public boolean concernsUnreadValue(String problem) {
    for (String path : unreadPaths) {
      if (problem.startsWith(path + ":")
          || problem.startsWith(path + ".")
          || problem.startsWith(path + "[")) {
        return true;
      }
    }
    return false;
  }

  void unread(String pointer, String path, JsonNode original, String problem) {
    unreadValues.put(pointer, original);
    unreadPaths.add(path);
    readProblems.add(problem);
  }

  Map<String, JsonNode> unreadValues() {
    return unreadValues;
  }
}
