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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pxops' Kafka clients on a broker that requires TLS and SASL, configured the one shared way every service and the
 * CLI read ({@link KafkaClientSettings}: {@code PXOPS_KAFKA_*} variables or {@code PXOPS_KAFKA_CONFIG_FILE}). The
 * broker's certificate is made by the test. The ingest's lifecycle-log producer writes, the shared log reader (the
 * CLI's {@code history}) reads it back and the health check's admin client sees the cluster — all over SASL_SSL;
 * without credentials, or with a wrong password, the client fails at once saying so, rather than hanging. The broker
 * enforces ACLs, granted as docs/kafka-security.md gives them: neither the ingest nor a CLI user may write
 * {@code pxops.commands}.
 */
class KafkaSecurityIT {

  private static final String USER = "pxops-ingest";
  private static final String PASSWORD = "ingest-secret";
  /** A person or pipeline using the CLI (docs/kafka-security.md: reads the log, writes only pxops.requests). */
  private static final String CLI_USER = "release-bot";
  private static final String CLI_PASSWORD = "bot-secret";
  private static SaslSslKafka kafka;

  @BeforeAll
  static void startASecuredBroker() throws Exception {
    kafka = SaslSslKafka.start(Map.of(USER, PASSWORD, CLI_USER, CLI_PASSWORD), true);
    kafka.broker().createTopics(TopicSpec.of(Topics.EVENTS, 1), TopicSpec.of(Topics.COMMANDS, 1),
        TopicSpec.of(Topics.REQUESTS, 1));
    // the ACLs docs/kafka-security.md gives these two principals, as far as this test uses them
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.broker().bootstrapServers()))) {
      admin.createAcls(List.of(
          allow(USER, ResourceType.TOPIC, Topics.EVENTS, AclOperation.WRITE),
          allow(USER, ResourceType.TOPIC, Topics.REQUESTS, AclOperation.READ),
          allow(CLI_USER, ResourceType.TOPIC, Topics.REQUESTS, AclOperation.WRITE),
          allow(CLI_USER, ResourceType.TOPIC, Topics.EVENTS, AclOperation.READ),
          allow(CLI_USER, ResourceType.TOPIC, Topics.COMMANDS, AclOperation.READ))).all().get();
    }
  }

  private static AclBinding allow(String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
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
    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(fromFile)) {
      publisher.accept(replay);
    }
    KafkaClientSettings cli = KafkaClientSettings.fromEnv(env(CLI_USER, CLI_PASSWORD));
    List<Envelope> log = LifecycleLogReader.read(cli, "shop/upd-1");
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

  /**
   * The ACLs hold over the shared settings: the ingest may write the lifecycle log but not {@code pxops.commands}
   * (only the coordinator may: a command evicts pods), and neither may a CLI user, who may write only
   * {@code pxops.requests}.
   */
  @Test
  void givenTheDocumentedAcls_thenOnlyTheCoordinatorCouldWriteCommands() throws Exception {
    for (String[] user : new String[][] {{USER, PASSWORD}, {CLI_USER, CLI_PASSWORD}}) {
      KafkaClientSettings settings = KafkaClientSettings.fromEnv(env(user[0], user[1]));
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.map(Map.of(
          "max.block.ms", 15_000)), new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.COMMANDS, "shop/orders", "{}")).get())
            .as(user[0]).hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
    KafkaClientSettings cli = KafkaClientSettings.fromEnv(env(CLI_USER, CLI_PASSWORD));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cli.map(Map.of()), new StringSerializer(),
        new StringSerializer())) {
      assertThat(producer.send(new ProducerRecord<>(Topics.REQUESTS, "shop/orders", "{}")).get().topic())
          .isEqualTo(Topics.REQUESTS);
    }
  }
}
