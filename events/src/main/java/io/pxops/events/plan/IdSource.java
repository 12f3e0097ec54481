package io.pxops.events.plan;

import java.util.UUID;

/** Where the plan gets the ids of the messages it emits; tests pass a deterministic one. */
@FunctionalInterface
public interface IdSource {

  /**
   * A new, never used id.
   *
   * @return a UUID in its canonical text form
   */
  String nextId();

  /**
   * Random UUIDs, for production.
   *
   * @return a source of {@link UUID#randomUUID()} ids
   */
  static IdSource random() {
    return () -> UUID.randomUUID().toString();
  }
}
