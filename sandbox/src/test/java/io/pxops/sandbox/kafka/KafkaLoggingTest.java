package io.pxops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class KafkaLoggingTest {

  @Test
  void givenTheDefaults_thenTheBrokersAndClientsInfoIsQuietAndTheirWarningsAndOurInfoStillShow() {
    KafkaLogging.applyDefaults();
    // the loggers the embedded broker writes hundreds of start-up lines to, and a client's configuration dump
    for (String name : List.of("kafka.server.BrokerServer", "kafka.log.LogManager", "state.change.logger",
        "org.apache.kafka.controller.QuorumController", "org.apache.kafka.clients.producer.ProducerConfig")) {
      assertThat(LoggerFactory.getLogger(name).isInfoEnabled()).as(name + " at INFO").isFalse();
      assertThat(LoggerFactory.getLogger(name).isWarnEnabled()).as(name + " at WARN").isTrue();
    }
    assertThat(LoggerFactory.getLogger("io.pxops.sandbox.world.LocalWorld").isInfoEnabled())
        .as("the local world's own lines").isTrue();
  }
}
