package io.pxops.sandbox.kafka;

import java.util.Objects;

/** A broker that something else runs; nothing is started or stopped here. */
final class ExternalKafka implements KafkaBroker {

  private final String bootstrapServers;

  ExternalKafka(String bootstrapServers) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public String describe() {
    return "external broker (" + bootstrapServers + ")";
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
