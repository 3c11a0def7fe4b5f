package io.tokenrotation.sim.dynatrace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code apiTokenSelector} filter: {@code owner("jane")} (case-sensitive), {@code
 * personalAccessToken(false)}, {@code scope("a","b")} (token has any of them). Criteria are
 * comma-joined and must all hold. Inside quotes, {@code ~} escapes the next character, as in
 * Dynatrace's other selectors.
 */
final class ApiTokenSelector implements Predicate<StoredToken> {
  private final List<Predicate<StoredToken>> criteria;

  private ApiTokenSelector(List<Predicate<StoredToken>> criteria) {
    this.criteria = criteria;
  }

  static ApiTokenSelector all() {
    return new ApiTokenSelector(List.of());
  }

  /** Throws {@link ApiError} 400 for anything it cannot read, naming the query parameter. */
  static ApiTokenSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return all();
    }
    List<Predicate<StoredToken>> criteria = new ArrayList<>();
    Reader in = new Reader(selector);
    while (true) {
      in.skipSpaces();
      String name = in.word();
      in.expect('(');
      List<String> args = in.arguments();
      criteria.add(criterion(name, args));
      in.skipSpaces();
      if (in.done()) {
        break;
      }
      in.expect(',');
    }
    return new ApiTokenSelector(List.copyOf(criteria));
  }

  private static Predicate<StoredToken> criterion(String name, List<String> args) {
    switch (name) {
      case "owner" -> {
        String owner = single(name, args);
        return t -> owner.equals(t.owner());
      }
      case "personalAccessToken" -> {
        String value = single(name, args);
        if (!value.equals("true") && !value.equals("false")) {
          throw invalid("personalAccessToken must be true or false");
        }
        boolean pat = Boolean.parseBoolean(value);
        return t -> t.personalAccessToken() == pat;
      }
      case "scope" -> {
        if (args.isEmpty()) {
          throw invalid("scope needs at least one value");
        }
        List<String> scopes = List.copyOf(args);
        return t -> scopes.stream().anyMatch(t::hasScope);
      }
      default -> throw invalid("unknown criterion '" + name + "'");
    }
  }

  private static String single(String name, List<String> args) {
    if (args.size() != 1) {
      throw invalid(name + " takes exactly one value");
    }
    return args.get(0);
  }

  static ApiError invalid(String message) {
    return ApiError.violation(ConstraintViolation.query("apiTokenSelector", message));
  }

  @Override
  public boolean test(StoredToken token) {
    return criteria.stream().allMatch(c -> c.test(token));
  }

  /** A tiny cursor over the selector text. */
  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    boolean done() {
      return pos >= text.length();
    }

    void skipSpaces() {
      while (!done() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    String word() {
      int start = pos;
      while (!done() && Character.isLetterOrDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw invalid("expected a criterion at position " + pos);
      }
      return text.substring(start, pos);
    }

    void expect(char c) {
      skipSpaces();
      if (done() || text.charAt(pos) != c) {
        throw invalid("expected '" + c + "' at position " + pos);
      }
      pos++;
    }

    /** The values up to and including the closing parenthesis: quoted strings or bare words. */
    List<String> arguments() {
      List<String> args = new ArrayList<>();
      skipSpaces();
      if (!done() && text.charAt(pos) == ')') {
        pos++;
        return args;
      }
      while (true) {
        skipSpaces();
        args.add(!done() && text.charAt(pos) == '"' ? quoted() : word());
        skipSpaces();
        if (done()) {
          throw invalid("missing ')'");
        }
        char c = text.charAt(pos++);
        if (c == ')') {
          return args;
        }
        if (c != ',') {
          throw invalid("expected ',' or ')' at position " + (pos - 1));
        }
      }
    }

    private String quoted() {
      pos++; // opening quote
      StringBuilder value = new StringBuilder();
      while (!done()) {
        char c = text.charAt(pos++);
        if (c == '~' && !done()) {
          value.append(text.charAt(pos++));
        } else if (c == '"') {
          return value.toString();
        } else {
          value.append(c);
        }
      }
      throw invalid("unterminated quoted value");
    }
  }
}
