package io.pxops.statusprojector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.events.GroupIds;
import io.pxops.statusprojector.projection.StatusTopology;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProjectorConfigTest {

  @Test
  void givenAnEmptyEnvironment_whenRead_thenEveryDefaultApplies() {
    ProjectorConfig config = ProjectorConfig.fromEnv(Map.of());

    assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.stateDir()).isEqualTo(Path.of("state/status-projector"));
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8082);
    assertThat(config.advertisedHost()).isEqualTo("localhost");
    assertThat(config.writeBack()).isTrue();
    assertThat(config.applicationId()).isEqualTo(GroupIds.STATUS_PROJECTOR);
    assertThat(config.writeBackGroupId()).isEqualTo("pxops-status-writeback");
    assertThat(config.replicationFactor()).isEqualTo(-1);
    assertThat(config.applicationServer()).isEqualTo("localhost:8082");
  }

  @Test
  void givenEveryVariable_whenRead_thenEachIsTakenAndKafkaOverridesBecomeClientProperties() {
    ProjectorConfig config = ProjectorConfig.fromEnv(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9093",
        "PXOPS_STATE_DIR", "/var/lib/pxops",
        "PXOPS_HTTP_PORT", "9000",
        "PXOPS_ADVERTISED_HOST", "projector-1.pxops.svc",
        "PXOPS_WRITE_BACK", "false",
        "PXOPS_REPLICATION_FACTOR", "3",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "PXOPS_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka... password=\"hunter2\";"));

    assertThat(config.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.writeBack()).isFalse();
    assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(config.describe()).contains("security.protocol=SASL_SSL")
        .contains("sasl.jaas.config=****").doesNotContain("hunter2");
    Properties streams = StatusTopology.streamsConfig(config);
    assertThat(streams).containsEntry("application.server", "projector-1.pxops.svc:9000")
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("ensure.explicit.internal.resource.naming", true)
        .containsEntry("replication.factor", 3)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("producer.retry.backoff.ms", 5)
        .containsEntry("num.stream.threads", "2");
    assertThat(StatusTopology.streamsConfig(ProjectorConfig.fromEnv(Map.of("PXOPS_KAFKA_NUM_STREAM_THREADS", "3"))))
        .containsEntry("num.stream.threads", "3");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("KAFKA_BOOTSTRAP_SERVERS", "kafka", "must be host:port"),
        Arguments.of("PXOPS_HTTP_PORT", "eighty", "must be a port number in 0..65535"),
        Arguments.of("PXOPS_HTTP_PORT", "70000", "must be a port number in 0..65535"),
        Arguments.of("PXOPS_ADVERTISED_HOST", "http://x", "without port or scheme"),
        Arguments.of("PXOPS_WRITE_BACK", "yes", "must be true or false"),
        Arguments.of("PXOPS_REPLICATION_FACTOR", "0", "must be -1"),
        Arguments.of("PXOPS_APPLICATION_ID", "a b", "must use only letters"),
        Arguments.of("PXOPS_HTTP_HOST", " ", "must not be empty"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalid")
  void givenAnInvalidValue_whenRead_thenTheErrorNamesTheVariableAndTheRule(
      String variable, String value, String rule) {
    assertThatThrownBy(() -> ProjectorConfig.fromEnv(Map.of(variable, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(variable)
        .hasMessageContaining(rule);
  }
}
