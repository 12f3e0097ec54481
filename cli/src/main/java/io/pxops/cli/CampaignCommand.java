package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pxops campaign create|status|watch|approve|pause|resume|cancel}: campaigns through the ingest's campaign
 * door, their progress from the status projector. ({@code pxops plan} shows a campaign without creating it.)
 */
@Command(name = "campaign", description = "Update many databases as one campaign: stages, approvals, a failure "
    + "budget. Create one from a spec (see docs/examples/campaign.yaml), follow it, approve its stages, pause, "
    + "resume or cancel it.",
    subcommands = {CampaignCommand.Create.class, CampaignCommand.Status.class, CampaignCommand.Watch.class,
        CampaignCommand.Approve.class, CampaignCommand.Pause.class, CampaignCommand.Resume.class,
        CampaignCommand.Cancel.class, CampaignPlanCommand.class})
final class CampaignCommand implements Callable<Integer> {

  /**
   * The prefix of a campaign's key on {@code pxops.status}, as the status projector writes it (its {@code
   * CampaignStatusTopology}): a colon is in no Kubernetes name, so it never meets a request's key.
   */
  static final String STATUS_KEY_PREFIX = "campaign:";

  /** The phases after which nothing changes. */
  static final Set<String> ENDED = Set.of("Completed", "BudgetExhausted", "Cancelled");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  @Command(name = "create", description = "Create a campaign from its spec (YAML or JSON): prints its plan. "
      + "Exit 0 when taken, 4 when refused (the field and the rule named).")
  static final class Create implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    Endpoints endpoints;
    @Option(names = {"-f", "--file"}, required = true, description = "The campaign spec, YAML or JSON.")
    Path file;

    @Override
    public Integer call() {
      JsonNode body = PlanCommand.tree(file, "--file");
      JsonNode answer = new PxopsHttp(endpoints).postToIngest("/api/v1/campaigns", body);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("campaign %s created (run %s); failures allowed: %d%n", answer.path("campaign").asText(),
          answer.path("uid").asText(), answer.path("allowedFailures").asInt());
      for (JsonNode stage : answer.path("stages")) {
        out.printf("  stage %s (at most %d at a time):%n", stage.path("name").asText(),
            stage.path("maxConcurrent").asInt());
        stage.path("databases").forEach(db -> out.printf("    %s%n", db.asText()));
      }
      for (JsonNode r : answer.path("refused")) {
        out.printf("  refused %s: %s (%s)%n", r.path("database").asText(), r.path("message").asText(),
            r.path("rule").asText());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "A campaign's progress: its phase and, per stage, how many databases are "
      + "done, running, failed and waiting. Exit 0 when found, 4 when not.")
  static final class Status extends OnCampaign implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: "
        + "${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() {
      JsonNode status = new PxopsHttp(endpoints).campaign(name);
      if (status == null) {
        throw new CliFailure(ExitCodes.REFUSED, "no status for campaign " + name);
      }
      spec.commandLine().getOut().print("json".equals(output) ? status.toPrettyString() + "\n" : table(status));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "watch", description = "Follow a campaign until it ends: one table each time it changes, live from "
      + "the status topic (pxops.status), else from the status API. Exit 0 when Completed, 1 when it stopped "
      + "(budget exhausted, cancelled), 6 when the timeout came first.")
  static final class Watch extends OnCampaign implements Callable<Integer> {
    @Option(names = "--timeout", defaultValue = "24h", description = "Give up after this long (default: "
        + "${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--topic-wait", defaultValue = "10s", description = "How long to try to reach pxops.status "
        + "before following the status API instead; 0s: the status API only (default: ${DEFAULT-VALUE}).")
    Duration topicWait;
    @Option(names = "--interval", defaultValue = "2s", description = "How often to look when following the status "
        + "API (default: ${DEFAULT-VALUE}).")
    Duration interval;

    /** What has been printed last, so that a table is printed again only when it changed. One thread at a time. */
    private String last;

    /**
     * Follows the campaign's key on {@code pxops.status}, where the projector publishes each new progress, as {@code
     * pxops watch} follows a request: every change is seen, at once, without asking the projector. When the topic
     * cannot be reached within {@code --topic-wait} (the CLI outside the cluster's network, say), it says so and
     * looks at the status API every {@code --interval} instead. Either way it ends when the campaign ends or
     * {@code --timeout} passes, with the same exit codes.
     */
    @Override
    public Integer call() throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      if (!topicWait.isZero() && !topicWait.isNegative()) {
        StatusTopicWatcher watcher = null;
        try {
          watcher = new StatusTopicWatcher(endpoints.kafka(), STATUS_KEY_PREFIX + name, topicWait);
        } catch (CliFailure e) {
          spec.commandLine().getErr().printf("%s; following the status API at %s instead%n", e.getMessage(),
              endpoints.statusUrl());
          spec.commandLine().getErr().flush();
        }
        if (watcher != null) {
          try (StatusTopicWatcher topic = watcher) {
            return followTopic(topic);
          }
        }
      }
      return poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private int followTopic(StatusTopicWatcher topic) {
      JsonNode end = topic.follow(timeout, JsonNode.class, status -> exitCode(status) != null);
      Integer exit = end == null ? null : exitCode(end);
      if (exit == null) {
        throw new CliFailure(ExitCodes.TIMED_OUT, "campaign " + name + " did not end within " + timeout);
      }
      return exit;
    }

    /** Looks at the status API on a scheduler every {@code --interval} (no thread sleeps) until the campaign ends. */
    private int poll(Duration left) throws InterruptedException {
      PxopsHttp http = new PxopsHttp(endpoints);
      CompletableFuture<Integer> ended = new CompletableFuture<>();
      ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "campaign-watch");
        t.setDaemon(true);
        return t;
      });
      try {
        poller.scheduleWithFixedDelay(() -> {
          try {
            JsonNode status = http.campaign(name);
            Integer exit = status == null ? null : exitCode(status); // none: not created or projected yet
            if (exit != null) {
              ended.complete(exit);
            }
          } catch (Throwable e) {
            // the service unreachable or refusing, or a bug: the watch ends at once with its reason (a task that
            // threw would be dropped by the scheduler, and the watch would wait out its whole timeout)
            ended.completeExceptionally(e);
          }
        }, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
        return ended.get(left.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new CliFailure(ExitCodes.TIMED_OUT, "campaign " + name + " did not end within " + timeout);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } finally {
        poller.shutdownNow();
      }
    }

    /** Prints the table when it changed; the exit code once the campaign has ended, else null. */
    private Integer exitCode(JsonNode status) {
      String shown = table(status);
      if (!shown.equals(last)) {
        spec.commandLine().getOut().print(shown + "\n");
        spec.commandLine().getOut().flush();
        last = shown;
      }
      String phase = status.at("/progress/phase").asText();
      return !ENDED.contains(phase) ? null : "Completed".equals(phase) ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  @Command(name = "approve", description = "Approve a stage that waits for approval.")
  static final class Approve extends OnCampaign implements Callable<Integer> {
    @Option(names = "--stage", required = true, description = "The stage to approve.")
    String stage;

    @Override
    public Integer call() {
      return control(spec, endpoints, name, "approve",
          JsonCodec.shared().mapper().createObjectNode().put("stage", stage));
    }
  }

  @Command(name = "pause", description = "Start no further database until resumed (running updates finish).")
  static final class Pause extends OnCampaign implements Callable<Integer> {
    @Override
    public Integer call() {
      return control(spec, endpoints, name, "pause", null);
    }
  }

  @Command(name = "resume", description = "Start databases again after a pause.")
  static final class Resume extends OnCampaign implements Callable<Integer> {
    @Override
    public Integer call() {
      return control(spec, endpoints, name, "resume", null);
    }
  }

  @Command(name = "cancel", description = "Start no further database; the campaign ends once the running ones "
      + "finish.")
  static final class Cancel extends OnCampaign implements Callable<Integer> {
    @Override
    public Integer call() {
      return control(spec, endpoints, name, "cancel", null);
    }
  }

  /** What every command on one campaign has: its output, the services' endpoints, the campaign's name. */
  abstract static class OnCampaign {
    @Spec
    CommandSpec spec;
    @Mixin
    Endpoints endpoints;
    @Parameters(index = "0", description = "The campaign's name.")
    String name;
  }

  private static int control(CommandSpec spec, Endpoints endpoints, String name, String action, JsonNode body) {
    new PxopsHttp(endpoints).postToIngest("/api/v1/campaigns/" + java.net.URLEncoder.encode(name,
        java.nio.charset.StandardCharsets.UTF_8) + "/" + action, body);
    spec.commandLine().getOut().printf("campaign %s: %s asked%n", name, action);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The progress as a table: the campaign's line, one row per stage, then each failed member and its reason. */
  static String table(JsonNode status) {
    JsonNode p = status.path("progress");
    StringBuilder out = new StringBuilder();
    out.append(String.format("campaign %s  phase %s  failed %d (allowed %d)  refused by admission %d%n",
        p.path("campaign").asText(), p.path("phase").asText(), status.path("failed").asInt(),
        status.path("allowedFailures").asInt(), status.path("refused").asInt()));
    Table t = new Table("STAGE", "PHASE", "DONE", "RUNNING", "FAILED", "WAITING", "SKIPPED");
    for (JsonNode s : p.path("stages")) {
      int windows = s.path("waitingForWindow").asInt();
      t.row(s.path("name").asText(), s.path("phase").asText(), s.path("done").asInt(), s.path("running").asInt(),
          s.path("failed").asInt(), s.path("waiting").asInt() + (windows > 0 ? " (" + windows + " for window)" : ""),
          s.path("skipped").asInt());
    }
    out.append(t);
    // which databases failed and why (the projector lists at most 50; "failed" above counts them all)
    for (JsonNode f : status.path("failures")) {
      out.append(String.format("failed %s: %s%n", f.path("database").asText(), f.path("reason").asText()));
    }
    return out.toString();
  }
}
