package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.statusprojector.ProjectorConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class StatusWriteBackTest {

  @Test
  void aNamedInstanceIsAStaticMemberWithTheShortSession() {
    ProjectorConfig config = ProjectorConfig.fromEnv(Map.of(ProjectorConfig.INSTANCE_ID, "projector-1"));

    assertThat(StatusWriteBack.consumerConfig(config))
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.writeBackGroupId() + "-projector-1")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ProjectorConfig.SESSION_TIMEOUT_MS)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    assertThat(ProjectorConfig.SESSION_TIMEOUT_MS).isLessThan(45_000);
  }

  @Test
  void twoInstancesAreTwoMembers() {
    Object one = StatusWriteBack.consumerConfig(
        ProjectorConfig.fromEnv(Map.of(ProjectorConfig.INSTANCE_ID, "projector-1"))).get(
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    Object two = StatusWriteBack.consumerConfig(
        ProjectorConfig.fromEnv(Map.of(ProjectorConfig.INSTANCE_ID, "projector-2"))).get(
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

    assertThat(one).isNotEqualTo(two);
  }
}
