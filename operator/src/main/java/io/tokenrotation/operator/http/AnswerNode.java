package io.tokenrotation.operator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A value of a success answer from Vault or Dynatrace, read against the API contract, with the name
 * of where it sits ({@code data.metadata.version}, {@code apiTokens[3].scopes}). Whatever is
 * missing or of another type becomes the client's malformed-answer exception naming that place and
 * what was expected: never an NPE, a ClassCastException or a half-filled object, and never the
 * value itself (a success answer may hold a secret).
 *
 * <p>JSON {@code null} counts as absent: the contracts leave "absent or null" open for optional
 * fields.
 */
public final class AnswerNode {
  private final JsonNode node;
  private final String name;
  private final Function<String, ? extends RuntimeException> malformed;

  private AnswerNode(
      JsonNode node, String name, Function<String, ? extends RuntimeException> malformed) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.name = name;
    this.malformed = malformed;
  }

  /**
   * The top level of an answer ({@link MissingNode} for an empty body). {@code malformed} turns a
   * problem such as "scopes is missing" into the client's exception; it is called, never thrown
   * from here.
   */
  public static AnswerNode root(
      JsonNode node, Function<String, ? extends RuntimeException> malformed) {
    return new AnswerNode(node, "", malformed);
  }

  /** This value must be a JSON object (at the top level: every answer the clients read is one). */
  public AnswerNode requireObject() {
    if (name.isEmpty() && node.isMissingNode()) {
      throw fail("the answer is empty");
    }
    if (!node.isObject()) {
      throw fail(
          name.isEmpty()
              ? "the answer is not a JSON object"
              : absent() ? name + " is missing" : name + " is not a JSON object");
    }
    return this;
  }

  /** A required object field. */
  public AnswerNode object(String field) {
    return child(field).requireObject();
  }

  /** An optional field of any type, when present and not null. */
  public Optional<AnswerNode> optional(String field) {
    AnswerNode child = child(field);
    return child.absent() ? Optional.empty() : Optional.of(child);
  }

  /** A required string field (may be empty). */
  public String text(String field) {
    return child(field).requirePresent().asText();
  }

  /** A required string field that is not empty (an id, a token). */
  public String nonEmptyText(String field) {
    String value = text(field);
    if (value.isEmpty()) {
      throw fail(qualified(field) + " is empty");
    }
    return value;
  }

  /** An optional string field. */
  public Optional<String> optionalText(String field) {
    return optional(field).map(AnswerNode::asText);
  }

  /** This value as a string. */
  public String asText() {
    if (!node.isTextual()) {
      throw fail(name + " is not a string");
    }
    return node.textValue();
  }

  /**
   * A required whole number: a JSON integer, or a string holding one (Vault accepts "3" for a
   * version too).
   */
  public long number(String field) {
    return child(field).requirePresent().asLong();
  }

  /** An optional whole number. */
  public Optional<Long> optionalNumber(String field) {
    return optional(field).map(AnswerNode::asLong);
  }

  private long asLong() {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isTextual()) {
      try {
        return Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below, without the value
      }
    }
    throw fail(name + " is not a whole number");
  }

  /** An optional boolean field (true or false, not "true"). */
  public Optional<Boolean> optionalBoolean(String field) {
    return optional(field)
        .map(
            value -> {
              if (!value.node.isBoolean()) {
                throw value.fail(value.name + " is not true or false");
              }
              return value.node.booleanValue();
            });
  }

  /** A required array of strings (may be empty). */
  public List<String> strings(String field) {
    AnswerNode array = child(field).requireArray();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < array.node.size(); i++) {
      values.add(array.element(i).requirePresent().asText());
    }
    return values;
  }

  /** A required array of objects (may be empty). */
  public List<AnswerNode> objects(String field) {
    AnswerNode array = child(field).requireArray();
    List<AnswerNode> values = new ArrayList<>();
    for (int i = 0; i < array.node.size(); i++) {
      values.add(array.element(i).requireObject());
    }
    return values;
  }

  /** The JSON behind this value, for callers that take any shape (a KV secret's data map). */
  public JsonNode json() {
    return node;
  }

  /** Where this value sits, e.g. {@code apiTokens[2].creationDate}; empty for the top level. */
  public String name() {
    return name;
  }

  /**
   * The client's exception for this answer, for a problem the caller found itself ("x is not a
   * date").
   */
  public RuntimeException fail(String problem) {
    return malformed.apply(problem);
  }

  private AnswerNode child(String field) {
    return new AnswerNode(node.get(field), qualified(field), malformed);
  }

  private AnswerNode element(int index) {
    return new AnswerNode(node.get(index), name + "[" + index + "]", malformed);
  }

  private String qualified(String field) {
    return name.isEmpty() ? field : name + "." + field;
  }

  private boolean absent() {
    return node.isMissingNode() || node.isNull();
  }

  private AnswerNode requirePresent() {
    if (absent()) {
      throw fail(name + " is missing");
    }
    return this;
  }

  private AnswerNode requireArray() {
    requirePresent();
    if (!node.isArray()) {
      throw fail(name + " is not an array");
    }
    return this;
  }
}
