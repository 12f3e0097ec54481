package io.pxops.events.plan;

/** Deterministic UUID-shaped ids: {@code <prefix>-0000-4000-8000-<counter>}. */
final class SequentialIds implements IdSource {

  private final String prefix;
  private long counter;

  SequentialIds(String prefix) {
    if (!prefix.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("prefix must be 8 hex digits");
    }
    this.prefix = prefix;
  }

  @Override
  public String nextId() {
    counter++;
    return String.format("%s-0000-4000-8000-%012d", prefix, counter);
  }
}
