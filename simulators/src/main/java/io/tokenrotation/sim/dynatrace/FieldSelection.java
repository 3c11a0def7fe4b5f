package io.tokenrotation.sim.dynatrace;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The list call's {@code fields} parameter. Default: id, name, enabled, owner, creationDate (scopes
 * and expiry are NOT in the default, which real clients trip over). {@code +x,-y} edits the
 * default; a plain list replaces it. The id is always returned. Mixing plain and +/- entries, or
 * naming an unknown field, is a 400.
 */
final class FieldSelection {
  static final List<String> ALL =
      List.of(
          "id",
          "name",
          "enabled",
          "personalAccessToken",
          "owner",
          "creationDate",
          "expirationDate",
          "lastUsedDate",
          "lastUsedIpAddress",
          "modifiedDate",
          "scopes",
          "additionalMetadata");
  static final List<String> DEFAULT = List.of("id", "name", "enabled", "owner", "creationDate");

  private final Set<String> fields;

  private FieldSelection(Set<String> fields) {
    this.fields = Set.copyOf(fields);
  }

  static FieldSelection all() {
    return new FieldSelection(Set.copyOf(ALL));
  }

  static FieldSelection parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return new FieldSelection(Set.copyOf(DEFAULT));
    }
    String[] entries = spec.split(",");
    boolean relative = false;
    boolean absolute = false;
    Set<String> result = new LinkedHashSet<>();
    Set<String> add = new LinkedHashSet<>();
    Set<String> remove = new LinkedHashSet<>();
    for (String raw : entries) {
      String entry = raw.trim();
      // A '+' that was not URL-encoded arrives as a space; treat a leading space as the plus it was
      // meant to be.
      char op = raw.startsWith(" ") ? '+' : entry.isEmpty() ? ' ' : entry.charAt(0);
      String name =
          op == '+' || op == '-'
              ? entry.substring(entry.charAt(0) == '+' || entry.charAt(0) == '-' ? 1 : 0)
              : entry;
      if (!ALL.contains(name)) {
        throw invalid("unknown field '" + name + "'");
      }
      if (op == '+') {
        relative = true;
        add.add(name);
      } else if (op == '-') {
        relative = true;
        remove.add(name);
      } else {
        absolute = true;
        result.add(name);
      }
    }
    if (relative && absolute) {
      throw invalid("use either a plain list of fields or +/- changes to the default, not both");
    }
    if (relative) {
      result.addAll(DEFAULT);
      result.addAll(add);
      result.removeAll(remove);
    }
    result.add("id");
    return new FieldSelection(result);
  }

  private static ApiError invalid(String message) {
    return ApiError.violation(ConstraintViolation.query("fields", message));
  }

  boolean includes(String field) {
    return fields.contains(field);
  }
}
