package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.pipeline.steps.CommandService;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaRequestDoorTest {

  @Test
  void aNamedIngestIsAStaticMemberWithTheShortSession_andCommitsItself() {
    assertThat(KafkaRequestDoor.consumerConfig("k:9092", "pxops-request-ingest", "ingest-0"))
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "pxops-request-ingest-ingest-0")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CommandService.SESSION_TIMEOUT_MS)
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    assertThat(KafkaRequestDoor.consumerConfig("k:9092", "g", null))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void theInstanceIdComesFromTheEnvironment_elseTheHostName() {
    assertThat(IngestConfig.fromEnv(Map.of("PXOPS_INSTANCE_ID", "ingest-1")).instanceId()).isEqualTo("ingest-1");
    assertThat(IngestConfig.fromEnv(Map.of("HOSTNAME", "pod-7")).instanceId()).isEqualTo("pod-7");
  }
}
