package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.events.Topics;
import io.pxops.sandbox.kafka.KafkaBroker;
import io.pxops.sandbox.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator's topic set-up on a real broker: declared retention on new and on existing topics. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicCatalogueIT {

  @Test
  void givenALifecycleTopicWithTheWrongRetention_whenEnsured_thenTheDeclaredRetentionIsSetAndOthersAreKept(
      KafkaBroker broker) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicCatalogue.ensure(admin, 1, null);
      // created topics are described a moment after the controller created them
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Long.toString(
          Duration.ofDays(30).toMillis()).equals(config(admin, Topics.EVENTS).get("retention.ms").value()));
      assertThat(config(admin, Topics.STATUS).get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config(admin, Topics.COMMANDS).get("retention.ms").value())
          .isEqualTo(Long.toString(Topics.WORK_RETENTION.toMillis()));

      // as if someone had created or changed the topic by hand: an hour of history
      ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
      admin.incrementalAlterConfigs(Map.of(events, List.of(new AlterConfigOp(
          new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
      // the broker applies a config change from its metadata log, a moment after the controller accepted it
      await().atMost(Duration.ofSeconds(30))
          .until(() -> "3600000".equals(config(admin, Topics.EVENTS).get("retention.ms").value()));

      List<String> done = TopicCatalogue.ensure(admin, 1, Duration.ofDays(90));

      assertThat(done).containsExactly("set pxops.events retention.ms=" + Duration.ofDays(90).toMillis()
          + " (was 3600000)");
      await().atMost(Duration.ofSeconds(30)).until(() -> Long.toString(Duration.ofDays(90).toMillis())
          .equals(config(admin, Topics.EVENTS).get("retention.ms").value()));
      // a second start with the same settings changes nothing
      assertThat(TopicCatalogue.ensure(admin, 1, Duration.ofDays(90))).isEmpty();
      TopicCatalogue.ensure(admin, 1, null);
    }
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
  }
}
