package io.pxops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The choice of broker, against a fake environment: nothing is started. */
class KafkaBrokersTest {

  private final Map<String, String> settings = new HashMap<>();
  private final FakeProbe probe = new FakeProbe();

  private KafkaBroker choose() {
    return KafkaBrokers.choose(settings::get, probe);
  }

  @Test
  void bootstrapServersMeanAnExternalBrokerAndNothingIsStarted() {
    settings.put(KafkaBrokers.BOOTSTRAP_PROPERTY, "kafka-1:9092,kafka-2:9092");
    probe.onClasspath = true;
    probe.docker = true;
    try (KafkaBroker broker = choose()) {
      assertThat(broker).isInstanceOf(ExternalKafka.class);
      assertThat(broker.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
    }
    assertThat(probe.started).isEmpty();
  }

  @Test
  void testcontainersWhenOnTheClasspathWithDockerElseEmbedded() {
    probe.onClasspath = true;
    probe.docker = true;
    choose();
    probe.docker = false;
    choose();
    probe.onClasspath = false;
    choose();
    assertThat(probe.started).containsExactly("testcontainers:" + KafkaBrokers.DEFAULT_IMAGE, "embedded", "embedded");
  }

  @Test
  void forcedModesThatCannotBeMetFailInsteadOfFallingBack() {
    settings.put(KafkaBrokers.MODE_PROPERTY, "external");
    assertThatThrownBy(this::choose).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KafkaBrokers.BOOTSTRAP_ENV);

    settings.put(KafkaBrokers.MODE_PROPERTY, "testcontainers");
    assertThatThrownBy(this::choose).hasMessageContaining("not on the classpath");
    probe.onClasspath = true;
    assertThatThrownBy(this::choose).hasMessageContaining("no Docker engine");

    settings.put(KafkaBrokers.MODE_PROPERTY, "zookeeper");
    assertThatThrownBy(this::choose).hasMessageContaining("must be one of");
    assertThat(probe.started).isEmpty();
  }

  @Test
  void forcedModesWinOverTheDefaults() {
    settings.put(KafkaBrokers.BOOTSTRAP_PROPERTY, "kafka:9092");
    settings.put(KafkaBrokers.MODE_PROPERTY, "EMBEDDED");
    choose();
    settings.put(KafkaBrokers.MODE_PROPERTY, "testcontainers");
    settings.put(KafkaBrokers.IMAGE_PROPERTY, "apache/kafka:4.3.1");
    probe.onClasspath = true;
    probe.docker = true;
    choose();
    assertThat(probe.started).containsExactly("embedded", "testcontainers:apache/kafka:4.3.1");
  }

  @Test
  void environmentVariableNamesMatchTheProperties() {
    assertThat(KafkaBrokers.envName(KafkaBrokers.BOOTSTRAP_PROPERTY)).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(KafkaBrokers.envName(KafkaBrokers.MODE_PROPERTY)).isEqualTo("KAFKA_TEST_BROKER");
    assertThat(KafkaBrokers.envName(KafkaBrokers.IMAGE_PROPERTY)).isEqualTo("KAFKA_TEST_IMAGE");
  }

  private static final class FakeProbe implements KafkaBrokers.Probe {
    boolean onClasspath;
    boolean docker;
    final List<String> started = new ArrayList<>();

    @Override
    public boolean testcontainersOnClasspath() {
      return onClasspath;
    }

    @Override
    public boolean dockerAvailable() {
      return docker;
    }

    @Override
    public KafkaBroker startTestcontainers(String image) {
      started.add("testcontainers:" + image);
      return new ExternalKafka("container:9092");
    }

    @Override
    public KafkaBroker startEmbedded() {
      started.add("embedded");
      return new ExternalKafka("embedded:9092");
    }
  }
}
