package io.pxops.sandbox.kafka;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A topic to create: its name, partition count and whether it is compacted ({@code cleanup.policy=compact}).
 *
 * @param name Kafka topic name: letters, digits, '.', '_' and '-', at most 249 characters
 * @param partitions at least 1
 * @param compacted {@code true} for a compacted topic (latest value per key), {@code false} for delete retention
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("illegal Kafka topic name: '" + name + "'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1 for topic " + name + ": " + partitions);
    }
  }

  /** A delete-retention topic with {@code partitions} partitions. */
  public static TopicSpec of(String name, int partitions) {
    return new TopicSpec(name, partitions, false);
  }

  /** A compacted topic with {@code partitions} partitions. */
  public static TopicSpec compacted(String name, int partitions) {
    return new TopicSpec(name, partitions, true);
  }

  /**
   * Parses {@code name[:partitions[:compact]]}, the command-line form: {@code pxops.events:6},
   * {@code pxops.status:3:compact}. Partitions default to 1.
   */
  public static TopicSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException("expected name[:partitions[:compact]], got '" + text + "'");
    }
    int partitions = 1;
    if (parts.length >= 2) {
      try {
        partitions = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("partitions is not a number in '" + text + "'", e);
      }
    }
    boolean compacted = false;
    if (parts.length == 3) {
      String policy = parts[2].trim().toLowerCase(Locale.ROOT);
      if (policy.equals("compact") || policy.equals("compacted")) {
        compacted = true;
      } else if (!policy.equals("delete")) {
        throw new IllegalArgumentException("expected 'compact' or 'delete' as the third part of '" + text + "'");
      }
    }
    return new TopicSpec(parts[0].trim(), partitions, compacted);
  }

  @Override
  public String toString() {
    return name + ":" + partitions + (compacted ? ":compact" : "");
  }
}
