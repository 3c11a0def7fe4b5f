package io.tokenrotation.operator.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.operator.http.AnswerNode;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the token API's success answers (ApiToken, ApiTokenCreated, ApiTokenList) against the
 * contract. Required: {@code id}, {@code name} and {@code scopes} (a list asks for them with {@code
 * fields}), {@code id} and {@code token} of a created token, {@code apiTokens} of a list. Optional
 * fields may be absent or null, but when present they must have their type: a {@code lastUsedDate}
 * that does not parse must not read as "never used", or a cleanup could take a token in use for an
 * unused one.
 */
final class TokenAnswers {
  private TokenAnswers() {}

  /** One page of a list and the key of the next one, if any. */
  record Page(List<ApiToken> tokens, Optional<String> nextPageKey) {}

  static ApiToken token(AnswerNode t) {
    t.requireObject();
    return new ApiToken(
        t.nonEmptyText("id"),
        t.text("name"),
        t.optionalBoolean("enabled").orElse(true),
        t.optionalText("owner").orElse(null),
        t.strings("scopes"),
        date(t, "creationDate"),
        date(t, "expirationDate"),
        date(t, "lastUsedDate"),
        date(t, "modifiedDate"),
        t.optionalBoolean("personalAccessToken").orElse(false));
  }

  static CreatedToken created(AnswerNode answer) {
    answer.requireObject();
    String id = answer.nonEmptyText("id");
    SecretValue secret = SecretValue.of(answer.nonEmptyText("token"));
    return new CreatedToken(id, secret, date(answer, "expirationDate"));
  }

  static Page page(AnswerNode answer) {
    answer.requireObject();
    List<ApiToken> tokens = answer.objects("apiTokens").stream().map(TokenAnswers::token).toList();
    // "null" as a string: seen from clients that stringify a null key; it ends the list like a real
    // null.
    Optional<String> next =
        answer.optionalText("nextPageKey").filter(k -> !k.isEmpty() && !"null".equals(k));
    return new Page(tokens, next);
  }

  /**
   * An ISO date (with an offset, or without one meaning UTC) or epoch milliseconds; absent or null
   * is null, anything else is malformed.
   */
  static Instant date(AnswerNode parent, String field) {
    return parent.optional(field).map(TokenAnswers::instant).orElse(null);
  }

  private static Instant instant(AnswerNode value) {
    JsonNode node = value.json();
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Instant.ofEpochMilli(node.longValue());
    }
    if (node.isTextual()) {
      String text = node.textValue().trim();
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException withoutOffset) {
        try {
          return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          // reported below, without the text
        }
      }
    }
    throw value.fail(value.name() + " is not a date");
  }
}
