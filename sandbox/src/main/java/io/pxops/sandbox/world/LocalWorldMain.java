package io.pxops.sandbox.world;

import io.pxops.sandbox.galera.GaleraCommand;
import io.pxops.sandbox.kafka.KafkaCommand;
import io.pxops.sandbox.kube.KubeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The local world on the command line: {@code demo} starts all of it; {@code kafka up}, {@code kube up} and
 * {@code galera up} start one part each. Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "pxops", mixinStandardHelpOptions = true, version = "pxops 0.1.0-SNAPSHOT",
    description = "pxops local world: a Kafka broker, a Kubernetes API with KubeDB's kinds, and real Galera pods.",
    subcommands = {DemoCommand.class, KafkaCommand.class, KubeCommand.class, GaleraCommand.class})
public final class LocalWorldMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalWorldMain()).execute(args));
  }
}
