package io.tokenrotation.operator.api;

/**
 * Enum values of the API are read by their exact name only. Jackson would also read {@code "1"} or
 * {@code 1} as the second constant and {@code " Delete "} as {@code Delete}; the schema refuses
 * those, and so does the operator (an unknown value is reported by {@link LenientReader}, never
 * guessed).
 */
final class Enums {
  private Enums() {}

  static <E extends Enum<E>> E named(Class<E> type, String name) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("not a " + type.getSimpleName());
  }
}
