package io.tokenrotation.sim.dynatrace;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The list call's {@code sort}: one of name, lastUsedDate, creationDate, expirationDate,
 * modifiedDate with an optional +/- prefix (no prefix = ascending); default {@code -creationDate}.
 * Tokens without the date sort last in either direction; ties fall back to creation order so pages
 * never overlap or skip.
 */
final class TokenSort {
  private TokenSort() {}

  static Comparator<StoredToken> parse(String spec) {
    String text = spec == null || spec.isBlank() ? "-creationDate" : spec.trim();
    boolean descending = text.startsWith("-");
    String field = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    Comparator<StoredToken> primary =
        switch (field) {
          case "name" -> direction(Comparator.comparing(StoredToken::name), descending);
          case "creationDate" -> dates(StoredToken::creationDate, descending);
          case "lastUsedDate" -> dates(StoredToken::lastUsedDate, descending);
          case "expirationDate" -> dates(StoredToken::expirationDate, descending);
          case "modifiedDate" -> dates(StoredToken::modifiedDate, descending);
          default ->
              throw ApiError.violation(
                  ConstraintViolation.query("sort", "cannot sort by '" + field + "'"));
        };
    return primary.thenComparing(
        direction(Comparator.comparingLong(StoredToken::sequence), descending));
  }

  private static Comparator<StoredToken> dates(
      Function<StoredToken, Instant> date, boolean descending) {
    Comparator<Instant> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
    return Comparator.comparing(date, Comparator.nullsLast(order));
  }

  private static Comparator<StoredToken> direction(
      Comparator<StoredToken> comparator, boolean descending) {
    return descending ? comparator.reversed() : comparator;
  }
}
