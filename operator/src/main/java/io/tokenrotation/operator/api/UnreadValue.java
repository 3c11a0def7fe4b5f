package io.tokenrotation.operator.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where Jackson gave up on a value and why, in words fit for a condition message: {@code pointer}
 * is the JSON pointer of the value to set aside (a whole list when an element is wrong: a list with
 * a hole would mean something else), {@code path} its dotted name, {@code problem} the line users
 * read. The value itself is never repeated; only an unknown field's name is, shortened.
 */
record UnreadValue(String pointer, String path, String problem) {
  private static final int MAX_NAME = 64;

  /** Empty when the failure cannot be placed (no path, or a path the tree does not have). */
  static Optional<UnreadValue> of(String root, JsonMappingException e, JsonNode tree) {
    StringBuilder pointer = new StringBuilder();
    StringBuilder setAside = new StringBuilder(root);
    StringBuilder path = new StringBuilder(root);
    JsonNode offending = tree;
    boolean inList = false;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(shorten(ref.getFieldName()));
        offending = offending.path(ref.getFieldName());
        if (!inList) {
          pointer.append('/').append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
          setAside.append('.').append(shorten(ref.getFieldName()));
        }
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
        offending = offending.path(ref.getIndex());
        inList = true;
      } else {
        return Optional.empty();
      }
    }
    if (pointer.isEmpty() || tree.at(pointer.toString()).isMissingNode()) {
      return Optional.empty();
    }
    return Optional.of(
        new UnreadValue(
            pointer.toString(), setAside.toString(), path + ": " + describe(e, offending)));
  }

  /**
   * The problem with {@code node} when it is the whole object (the root is not an object, or cannot
   * be placed).
   */
  static String whole(String root, JsonNode node) {
    return root
        + ": "
        + (node.isObject() ? "could not be read" : "expected an object, got " + kind(node));
  }

  private static String describe(JsonMappingException e, JsonNode offending) {
    if (e instanceof UnrecognizedPropertyException) {
      return "unknown field (this version of the operator does not know it)";
    }
    Class<?> target =
        e instanceof MismatchedInputException m
            ? m.getTargetType()
            : e instanceof ValueInstantiationException v ? v.getType().getRawClass() : null;
    if (target != null && target.isEnum()) {
      String supported =
          Arrays.stream(target.getEnumConstants())
              .map(c -> ((Enum<?>) c).name())
              .collect(Collectors.joining(", "));
      return offending.isTextual()
          ? "unknown value (supported: " + supported + ")"
          : "expected one of " + supported + ", got " + kind(offending);
    }
    if (target != null) {
      return "expected " + expected(target) + ", got " + kind(offending);
    }
    return "could not be read";
  }

  private static String expected(Class<?> target) {
    if (CharSequence.class.isAssignableFrom(target)) {
      return "a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    return Map.class.isAssignableFrom(target) ? "a map" : "an object";
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case OBJECT, POJO -> "an object";
      case ARRAY -> "a list";
      case NULL -> "null";
      default -> "something else";
    };
  }

  private static String shorten(String name) {
    return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 3) + "...";
  }
}
