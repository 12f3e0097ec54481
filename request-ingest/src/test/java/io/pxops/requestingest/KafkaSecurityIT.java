package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pxops.events.Envelope;
import io.pxops.events.ReplayRequested;
import io.pxops.events.Topics;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.sandbox.kafka.SaslSslKafka;
import io.pxops.sandbox.kafka.TopicSpec;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pxops' Kafka clients on a broker that requires TLS and SASL, configured the one shared way every service and the
 * CLI read ({@link KafkaClientSettings}: {@code PXOPS_KAFKA_*} variables or {@code PXOPS_KAFKA_CONFIG_FILE}). The
 * broker's certificate is made by the test. The ingest's lifecycle-log producer writes, the shared log reader (the
 * CLI's {@code history}) reads it back and the health check's admin client sees the cluster — all over SASL_SSL;
 * without credentials, or with a wrong password, the client fails at once saying so, rather than hanging.
 */
class KafkaSecurityIT {

  private static final String USER = "pxops-ingest";
  private static final String PASSWORD = "ingest-secret";
  private static SaslSslKafka kafka;

  @BeforeAll
  static void startASecuredBroker() {
    kafka = SaslSslKafka.start(Map.of(USER, PASSWORD));
    kafka.broker().createTopics(TopicSpec.of(Topics.EVENTS, 1), TopicSpec.of(Topics.COMMANDS, 1));
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  /** The environment a deployment would give a service: one variable per client setting. */
  private static Map<String, String> env(String user, String password) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.saslSslBootstrapServers());
    kafka.clientSettings(user, password).forEach((name, value) ->
        env.put("PXOPS_KAFKA_" + name.toUpperCase().replace('.', '_'), value));
    return env;
  }

  @Test
  void givenTheSettingsInTheEnvironmentOrAFile_thenTheServicesClientsWorkOverSaslSsl() throws Exception {
    KafkaClientSettings fromEnv = KafkaClientSettings.fromEnv(env(USER, PASSWORD));
    Path file = Files.createTempFile("kafka-client-", ".properties");
    Properties p = new Properties();
    p.putAll(kafka.clientSettings(USER, PASSWORD));
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
    KafkaClientSettings fromFile = KafkaClientSettings.fromEnv(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", kafka.saslSslBootstrapServers(), "PXOPS_KAFKA_CONFIG_FILE", file.toString()));
    assertThat(fromFile.properties()).isEqualTo(fromEnv.properties());
    assertThat(fromEnv.toString()).contains("sasl.jaas.config=****", "ssl.truststore.password=****",
        "security.protocol=SASL_SSL").doesNotContain(PASSWORD, kafka.truststorePassword());

    Envelope replay = Envelope.of(UUID.randomUUID().toString(), "shop/upd-1", "shop/orders", Instant.now(), null,
        new ReplayRequested("kafka-security-it"));
    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(fromEnv)) {
      publisher.accept(replay);
    }
    List<Envelope> log = LifecycleLogReader.read(fromFile, "shop/upd-1");
    assertThat(log).extracting(Envelope::eventId).containsExactly(replay.eventId());
    try (KafkaReachability reachability = new KafkaReachability(fromEnv)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> reachability.problem() == null);
    }
  }

  @Test
  void givenNoCredentials_thenTheClientRefusesToStartNamingTheMissingJaasConfig() {
    Map<String, String> env = env(USER, PASSWORD);
    env.remove("PXOPS_KAFKA_SASL_JAAS_CONFIG");
    KafkaClientSettings settings = KafkaClientSettings.fromEnv(env);

    assertThatThrownBy(() -> new LifecycleLogPublisher(settings)).rootCause().hasMessageContaining("JAAS");
  }

  @Test
  void givenAWrongPassword_thenTheWriteFailsAsAnAuthenticationFailure() {
    KafkaClientSettings settings = KafkaClientSettings.fromEnv(env(USER, "not-the-password"));
    Envelope replay = Envelope.of(UUID.randomUUID().toString(), "shop/upd-2", "shop/orders", Instant.now(), null,
        new ReplayRequested("kafka-security-it"));

    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(settings)) {
      assertThatThrownBy(() -> publisher.accept(replay)).hasCauseInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Authentication failed");
    }
  }
}
