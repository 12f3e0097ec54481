package io.pxops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line parsing of {@code kafka up}; nothing here starts a broker. */
class KafkaCommandTest {

  @Test
  void parsesPortsDirectoryAndRepeatableTopics() {
    CommandLine cmd = new CommandLine(new KafkaCommand());
    CommandLine.ParseResult result = cmd.parseArgs("up", "--port", "19092", "--controller-port", "19093",
        "--dir", "data", "--topic", "pxops.events:6", "--topic", "pxops.status:6:compact", "--topic", "pxops.dlq");
    KafkaCommand.Up up = (KafkaCommand.Up) result.subcommand().commandSpec().userObject();
    assertThat(up.port).isEqualTo(19092);
    assertThat(up.controllerPort).isEqualTo(19093);
    assertThat(up.dir).isEqualTo(Path.of("data"));
    assertThat(up.topics).containsExactly(TopicSpec.of("pxops.events", 6), TopicSpec.compacted("pxops.status", 6),
        TopicSpec.of("pxops.dlq", 1));
  }

  @Test
  void defaultsToTheUsualKafkaPorts() {
    CommandLine cmd = new CommandLine(new KafkaCommand());
    KafkaCommand.Up up = (KafkaCommand.Up) cmd.parseArgs("up").subcommand().commandSpec().userObject();
    assertThat(up.port).isEqualTo(9092);
    assertThat(up.controllerPort).isEqualTo(9093);
    assertThat(up.dir).isNull();
    assertThat(up.topics).isEmpty();
  }

  @Test
  void aMalformedTopicIsAUsageErrorBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new KafkaCommand());
    cmd.setErr(new PrintWriter(err, true));
    assertThat(cmd.execute("up", "--topic", "pxops.events:many")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("partitions is not a number");
  }

  @Test
  void withoutASubcommandItPrintsUsage() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new KafkaCommand());
    cmd.setErr(new PrintWriter(err, true));
    assertThat(cmd.execute()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("up");
  }
}
