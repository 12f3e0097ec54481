package io.pxops.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";";

  @Test
  void givenPrefixedVariables_thenEachBecomesTheKafkaSettingOfItsName() {
    KafkaClientSettings s = KafkaClientSettings.fromEnv(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "PXOPS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "PXOPS_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "PXOPS_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
        "PXOPS_KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd",
        "PXOPS_HTTP_PORT", "8081"));

    assertThat(s.bootstrapServers()).isEqualTo("k1:9093,k2:9093");
    assertThat(s.properties()).containsOnly(
        Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
        Map.entry("sasl.jaas.config", JAAS), Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"),
        Map.entry("producer.compression.type", "zstd"));
  }

  @Test
  void givenAFileAndVariables_thenTheVariableWinsAndTheServicesOwnSettingsWinOverBoth(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "security.protocol=SSL\nssl.truststore.location=/etc/ca.p12\n");
    KafkaClientSettings s = KafkaClientSettings.fromEnv(Map.of("PXOPS_KAFKA_CONFIG_FILE", file.toString(),
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "PXOPS_KAFKA_ACKS", "1"));

    assertThat(s.properties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/ca.p12");
    Properties client = s.properties(Map.of("acks", "all", "isolation.level", "read_committed"));
    assertThat(client).containsEntry("acks", "all").containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "localhost:9092");
    assertThat(s.map(Map.of("acks", "all"))).containsEntry("acks", "all");
  }

  @Test
  void givenSecrets_thenTheyAreMaskedWhereverTheSettingsAreLogged() {
    KafkaClientSettings s = KafkaClientSettings.fromEnv(Map.of(
        "PXOPS_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "PXOPS_KAFKA_SSL_KEYSTORE_PASSWORD", "ks-pass",
        "PXOPS_KAFKA_SSL_KEY_PASSWORD", "key-pass",
        "PXOPS_KAFKA_SSL_KEYSTORE_KEY", "-----BEGIN PRIVATE KEY-----",
        "PXOPS_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET", "oauth-secret",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

    assertThat(s.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=****",
        "ssl.keystore.password=****", "ssl.key.password=****", "ssl.keystore.key=****")
        .doesNotContain("hunter2", "ks-pass", "key-pass", "PRIVATE KEY", "oauth-secret");
    assertThat(s.masked()).containsEntry("sasl.jaas.config", "****");
  }

  @Test
  void givenAMisspeltOrReservedName_thenStartRefusesNamingTheVariable(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> KafkaClientSettings.fromEnv(Map.of("PXOPS_KAFKA_SECURTY_PROTOCOL", "SASL_SSL")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PXOPS_KAFKA_SECURTY_PROTOCOL (Kafka setting securty.protocol) is not a Kafka producer, "
            + "consumer, admin or Streams setting");
    assertThatThrownBy(() -> KafkaClientSettings.fromEnv(Map.of("PXOPS_KAFKA_BOOTSTRAP_SERVERS", "x:1")))
        .hasMessageContaining("the brokers are set by KAFKA_BOOTSTRAP_SERVERS only");
    assertThatThrownBy(() -> KafkaClientSettings.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka")))
        .hasMessageStartingWith("KAFKA_BOOTSTRAP_SERVERS must be host:port");
    assertThatThrownBy(() -> KafkaClientSettings.fromEnv(Map.of("PXOPS_KAFKA_CONFIG_FILE", "/no/such/file")))
        .hasMessageStartingWith("PXOPS_KAFKA_CONFIG_FILE must name a readable properties file");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "sasl.jass.config=x\n");
    assertThatThrownBy(() -> KafkaClientSettings.fromEnv(Map.of("PXOPS_KAFKA_CONFIG_FILE", file.toString())))
        .hasMessageContaining("setting sasl.jass.config is not a Kafka");
  }

  @Test
  void givenKubernetesServiceLinksOfAServiceNamedPxopsKafka_thenTheyAreNotTakenForSettings() {
    // a Service "pxops-kafka" (or "pxops-kafka-bootstrap") in the namespace puts these into every pod
    KafkaClientSettings s = KafkaClientSettings.fromEnv(Map.of(
        "PXOPS_KAFKA_SERVICE_HOST", "10.0.0.7", "PXOPS_KAFKA_SERVICE_PORT", "9092",
        "PXOPS_KAFKA_SERVICE_PORT_CLIENTS", "9092", "PXOPS_KAFKA_PORT", "tcp://10.0.0.7:9092",
        "PXOPS_KAFKA_PORT_9092_TCP", "tcp://10.0.0.7:9092", "PXOPS_KAFKA_PORT_9092_TCP_ADDR", "10.0.0.7",
        "PXOPS_KAFKA_PORT_9092_TCP_PROTO", "tcp", "PXOPS_KAFKA_BOOTSTRAP_SERVICE_HOST", "10.0.0.8",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SSL"));

    assertThat(s.properties()).containsOnly(Map.entry("security.protocol", "SSL"));
  }
}
