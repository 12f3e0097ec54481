package io.pxops.cli;

import io.pxops.sandbox.galera.GaleraCommand;
import io.pxops.sandbox.kafka.KafkaCommand;
import io.pxops.sandbox.kube.KubeCommand;
import io.pxops.sandbox.world.WorldCommand;
import picocli.CommandLine;

/**
 * The developer's {@code pxops} (what {@code ./pxops} runs): the command line of {@link PxopsMain} plus
 * {@code demo} and the local-world commands ({@code world}, {@code kafka}, {@code kube}, {@code galera}), which
 * bring the embedded Kafka broker, the local Kubernetes API and the Galera processes. Kept out of the cli module so
 * that the command a user installs carries none of them.
 */
public final class PxopsDevMain {

  private PxopsDevMain() {
  }

  /** The command line with the local-world commands. */
  public static CommandLine commandLine() {
    CommandLine cl = PxopsMain.commandLine();
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand("world", new WorldCommand());
    cl.addSubcommand("kafka", new KafkaCommand());
    cl.addSubcommand("kube", new KubeCommand());
    cl.addSubcommand("galera", new GaleraCommand());
    // picocli gives a converter only to the subcommands present when it is registered: again, for these
    cl.registerConverter(java.time.Duration.class, io.pxops.pipeline.settings.Durations::parse);
    return cl;
  }

  public static void main(String[] args) {
    PxopsMain.quietLogs();
    int refused = PxopsMain.refuseUnknownSettings(System.getenv(), new java.io.PrintWriter(System.err, true));
    System.exit(refused != 0 ? refused : commandLine().execute(args));
  }
}
