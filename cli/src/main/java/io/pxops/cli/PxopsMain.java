package io.pxops.cli;

import io.pxops.pipeline.logging.CommandLineLogs;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code pxops}: the command line — submit, watch, status, list, replay, history against running services. It
 * carries no Kafka broker and no mock API server; {@code pxops demo} and the local-world commands are added by the
 * devtools module's {@code PxopsDevMain}, which {@code ./pxops} runs.
 */
@Command(name = "pxops", mixinStandardHelpOptions = true, version = "pxops 0.1.0-SNAPSHOT",
    description = "Safe rolling version updates of Percona XtraDB Cluster databases on Kubernetes, as KubeDB's "
        + "UpdateVersion ops requests, run by an event-driven Kafka pipeline.",
    subcommands = {SubmitCommand.class, WatchCommand.class, StatusCommand.class, ListCommand.class,
        ReplayCommand.class, HistoryCommand.class, PlanCommand.class, CampaignCommand.class,
        AutoComplete.GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:Success; for watch and --watch: the request is Successful",
        "1:The request is Failed (demo: a check did not hold)",
        "2:Usage error",
        "3:The request is Skipped",
        "4:Refused: not found, or the service rejected the request (4xx)",
        "5:A service is unreachable or answered 5xx",
        "6:The watch timed out first"},
    footer = {"", "Endpoints come from flags, else KAFKA_BOOTSTRAP_SERVERS / PXOPS_INGEST_URL / PXOPS_STATUS_URL / "
        + "KUBECONFIG, else .local/endpoints.properties (written by 'pxops demo --keep'), else localhost.",
        "The HTTP APIs need a Kubernetes bearer token: --token, else PXOPS_TOKEN, else the kubeconfig's token."})
public final class PxopsMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  /** The command line with pxops's error handling: a {@link CliFailure} prints its sentence and exits its code. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PxopsMain());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // durations as every pxops setting takes them (10m, 1h; ISO-8601 PT1H too), not picocli's ISO-8601 only
    cl.registerConverter(java.time.Duration.class, io.pxops.pipeline.settings.Durations::parse);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliFailure f) {
        commandLine.getErr().println("pxops: " + f.getMessage());
        commandLine.getErr().flush();
        return f.exitCode();
      }
      throw e;
    });
    return cl;
  }

  public static void main(String[] args) {
    quietLogs();
    int refused = refuseUnknownSettings(System.getenv(), new java.io.PrintWriter(System.err, true));
    System.exit(refused != 0 ? refused : commandLine().execute(args));
  }

  /**
   * A {@code PXOPS_*} variable no pxops program declares (a typo such as {@code PXOPS_INGST_URL}) is refused with the
   * nearest name, as the services refuse it: otherwise the command silently talks to the default endpoint.
   *
   * @return 0, or {@link ExitCodes#USAGE} after printing the refusal
   */
  static int refuseUnknownSettings(java.util.Map<String, String> env, java.io.PrintWriter err) {
    try {
      io.pxops.pipeline.settings.PxopsSettings.refuseUnknown(env);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("pxops: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }

  /**
   * A command line prints its answer, not the Kafka client's configuration dump nor its connection warnings
   * (PXOPS_LOG_LEVEL=info brings the rest back; see CommandLineLogs). Must run before anything logs,
   * when Logback reads its configuration. Only this JVM: the services the demo starts log as services do.
   */
  public static void quietLogs() {
    CommandLineLogs.quiet(System.getenv());
  }
}
