package io.pxops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kafka up} as the command line runs it, with its own broker on fixed ports. */
class KafkaCommandIT {

  @TempDir
  Path dir;

  @Test
  void upCreatesTopicsRunsUntilStoppedAndRestartsFromItsKeptDirectory() throws Exception {
    int[] ports = freePorts();
    String[] args = {"--port", String.valueOf(ports[0]), "--controller-port", String.valueOf(ports[1]),
        "--dir", dir.toString(), "--topic", "cmd.events:3", "--topic", "cmd.status:2:compact"};

    Running first = Running.start(args);
    String bootstrap = first.up.awaitReady(KafkaTestClients.TIMEOUT);
    assertThat(bootstrap).isEqualTo("127.0.0.1:" + ports[0]);
    try (Admin admin = admin(bootstrap)) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of("cmd.events", "cmd.status")).allTopicNames().get(60, TimeUnit.SECONDS);
      assertThat(topics.get("cmd.events").partitions()).hasSize(3);
      assertThat(topics.get("cmd.status").partitions()).hasSize(2);
      ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, "cmd.status");
      Config config = admin.describeConfigs(List.of(status)).all().get(60, TimeUnit.SECONDS).get(status);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    KafkaTestClients.produce(bootstrap, "cmd.events", 5);
    assertThat(first.stop()).isZero();
    assertThat(first.output()).contains("bootstrap.servers=127.0.0.1:" + ports[0], "Kafka broker stopped.");

    // same directory and ports: the data survives, and the existing topics are left alone
    Running second = Running.start(args);
    assertThat(second.up.awaitReady(KafkaTestClients.TIMEOUT)).isEqualTo(bootstrap);
    assertThat(KafkaTestClients.readAll(bootstrap, "cmd.events", IsolationLevel.READ_COMMITTED)).hasSize(5);
    assertThat(second.stop()).isZero();
  }

  private record Running(KafkaCommand.Up up, CompletableFuture<Integer> exit, StringWriter out) {

    static Running start(String... args) {
      KafkaCommand.Up up = new KafkaCommand.Up();
      StringWriter out = new StringWriter();
      CommandLine cmd = new CommandLine(up);
      cmd.setOut(new PrintWriter(out, true));
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          exit.complete(cmd.execute(args));
        } catch (Throwable t) {
          exit.completeExceptionally(t);
        }
      }, "kafka-up-under-test");
      thread.start();
      return new Running(up, exit, out);
    }

    int stop() throws Exception {
      up.stop();
      assertThat(up.awaitStopped(Duration.ofSeconds(60))).isTrue();
      return exit.get(60, TimeUnit.SECONDS);
    }

    String output() {
      return out.toString();
    }
  }

  private static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  private static int[] freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }
}
