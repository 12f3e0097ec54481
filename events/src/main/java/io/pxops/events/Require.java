package io.pxops.events;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Argument checks shared by the records of this package; failures name the offending field. */
final class Require {

  private Require() {}

  static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-blank string");
    }
    return value;
  }

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static int atLeast(int value, int min, String field) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
    }
    return value;
  }

  static Duration positive(Duration value, String field) {
    present(value, field);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(field + " must be positive but was " + value);
    }
    return value;
  }

  /** "namespace/name": exactly one slash, both parts non-blank. */
  static String ref(String value, String field) {
    text(value, field);
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(field + " must be \"namespace/name\" but was \"" + value + "\"");
    }
    return value;
  }

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }

  /** An unmodifiable copy that keeps the iteration order (JSON output stays stable). */
  static <K, V> Map<K, V> orderedMap(Map<K, V> value) {
    if (value == null || value.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(value));
  }
}
