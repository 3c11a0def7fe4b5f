package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The v2 list call's parameters. The {@code nextPageKey} cursor is this query plus the offset,
 * base64-encoded, so later pages repeat exactly the first page's filter, sort and fields (relative
 * {@code from}/{@code to} are frozen at the first call) and the server keeps no per-client state.
 * Clients must treat the key as opaque.
 */
record ListQuery(
    int pageSize,
    String selector,
    String fields,
    Instant from,
    Instant to,
    String sort,
    int offset) {
  static final int DEFAULT_PAGE_SIZE = 200;
  static final int MIN_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 10_000;

  /** Reads the query parameters; {@code api-token} is authentication, not a list parameter. */
  static ListQuery from(Map<String, List<String>> params, Instant now) {
    if (params.containsKey("nextPageKey")) {
      if (params.keySet().stream()
          .anyMatch(k -> !k.equals("nextPageKey") && !k.equals("api-token"))) {
        throw ApiError.violation(
            ConstraintViolation.query(
                "nextPageKey", "when nextPageKey is set, no other query parameters are allowed"));
      }
      return decode(first(params, "nextPageKey"));
    }
    return new ListQuery(
        pageSize(first(params, "pageSize")),
        first(params, "apiTokenSelector"),
        first(params, "fields"),
        time("from", first(params, "from"), now),
        time("to", first(params, "to"), now),
        first(params, "sort"),
        0);
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static int pageSize(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_PAGE_SIZE;
    }
    long size;
    try {
      size = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.violation(ConstraintViolation.query("pageSize", "must be a number"));
    }
    if (size < MIN_PAGE_SIZE || size > MAX_PAGE_SIZE) {
      throw ApiError.violation(
          ConstraintViolation.query(
              "pageSize", "must be between " + MIN_PAGE_SIZE + " and " + MAX_PAGE_SIZE));
    }
    return (int) size;
  }

  private static Instant time(String name, String value, Instant now) {
    if (value == null) {
      return null;
    }
    try {
      return ExpirationParser.parse(value, now);
    } catch (IllegalArgumentException e) {
      throw ApiError.violation(ConstraintViolation.query(name, e.getMessage()));
    }
  }

  ListQuery next() {
    return new ListQuery(pageSize, selector, fields, from, to, sort, offset + pageSize);
  }

  String encode() {
    ObjectNode node = Json.object();
    node.put("pageSize", pageSize)
        .put("selector", selector)
        .put("fields", fields)
        .put("sort", sort)
        .put("offset", offset);
    node.put("from", from == null ? null : from.toEpochMilli());
    node.put("to", to == null ? null : to.toEpochMilli());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static ListQuery decode(String key) {
    try {
      JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(key));
      return new ListQuery(
          node.get("pageSize").asInt(),
          text(node, "selector"),
          text(node, "fields"),
          instant(node, "from"),
          instant(node, "to"),
          text(node, "sort"),
          node.get("offset").asInt());
    } catch (Exception e) {
      throw ApiError.violation(ConstraintViolation.query("nextPageKey", "invalid nextPageKey"));
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : Instant.ofEpochMilli(value.asLong());
  }
}
