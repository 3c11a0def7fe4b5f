package io.tokenrotation.operator.dynatrace;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which scopes of a create request Dynatrace refused, from the structured 400 envelope: a
 * constraint violation whose path is {@code scopes[i]} names the i-th scope sent; one on {@code
 * scopes} (or an envelope without violations) names those sent scopes its message mentions as a
 * whole name. Only names taken from the request come out, so no upstream text reaches status. The
 * real 400 text for a retired scope is not documented (UNCERTAIN): when nothing matches, the result
 * is empty and the refusal stays a plain {@code DynatraceRejected} stall, which is as safe (one
 * attempt, then the stalled recheck).
 */
final class RefusedScopes {
  /** The path field of a violation, not free text: {@code scopes[3]}. */
  private static final Pattern INDEXED_PATH = Pattern.compile("scopes\\[(\\d+)]");

  /**
   * A mention is a whole name: not preceded by a name character, and not followed by one (a full
   * stop ends a sentence, not a name, unless a name character follows it: {@code
   * metrics.read.all}).
   */
  private static final String BEFORE = "(?<![A-Za-z0-9_.\\-])";

  private static final String AFTER = "(?![A-Za-z0-9_\\-]|\\.[A-Za-z0-9_])";

  private RefusedScopes() {}

  static List<String> of(ErrorEnvelope envelope, List<String> sent) {
    Set<String> refused = new LinkedHashSet<>();
    for (ErrorEnvelope.Violation violation : envelope.violations()) {
      Matcher indexed = INDEXED_PATH.matcher(violation.path());
      if (indexed.matches()) {
        int index = Integer.parseInt(indexed.group(1));
        if (index < sent.size()) {
          refused.add(sent.get(index));
        }
      } else if (violation.path().startsWith("scopes")) {
        refused.addAll(mentioned(violation.message(), sent));
      }
    }
    if (refused.isEmpty() && envelope.violations().isEmpty()) {
      refused.addAll(mentioned(envelope.message(), sent));
    }
    return List.copyOf(refused);
  }

  /**
   * The sent scopes {@code text} names as a whole name ({@code metrics.read} is not in {@code
   * metrics.readAll}).
   */
  private static List<String> mentioned(String text, List<String> sent) {
    return sent.stream()
        .filter(
            scope -> Pattern.compile(BEFORE + Pattern.quote(scope) + AFTER).matcher(text).find())
        .distinct()
        .toList();
  }
}
