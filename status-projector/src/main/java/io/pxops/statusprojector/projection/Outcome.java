package io.pxops.statusprojector.projection;

import io.pxops.events.DeadLetter;

/**
 * What a processor passes on: a value, or a dead letter for {@code pxops.dlq}. Exactly one is set.
 *
 * @param value the value, or {@code null}
 * @param deadLetter the dead letter, or {@code null}
 * @param <T> the value type
 */
record Outcome<T>(T value, DeadLetter deadLetter) {

  static <T> Outcome<T> of(T value) {
    return new Outcome<>(value, null);
  }

  static <T> Outcome<T> dead(DeadLetter deadLetter) {
    return new Outcome<>(null, deadLetter);
  }

  boolean isDead() {
    return deadLetter != null;
  }
}
