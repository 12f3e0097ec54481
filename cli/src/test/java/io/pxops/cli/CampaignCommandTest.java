package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignProgress;
import io.pxops.events.campaign.CampaignProgress.StageProgress;
import io.pxops.events.campaign.CampaignRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pxops campaign}: its table of a campaign's progress, and its usage errors (before anything is sent). */
class CampaignCommandTest {

  @TempDir Path dir;

  @Test
  void givenAProgressAsTheProjectorServesIt_thenTheTableShowsThePhaseTheBudgetAndEachStage() {
    CampaignRecord.Progress progress = new CampaignRecord.Progress("px-8-4", "run1",
        Instant.parse("2026-12-01T10:00:00Z"), new CampaignProgress("px-8-4", "AwaitingApproval", List.of(
            new StageProgress("canary", "Completed", 1, 0, 0, 0, 0, 0),
            new StageProgress("rest", "AwaitingApproval", 0, 0, 0, 12, 2, 1))), 1, 0, 3)
        .withFailures(List.of(new CampaignRecord.FailedMember("shop/carts", "AlreadyAtTargetVersion: database "
            + "shop/carts already runs version 8.4.3")));
    JsonNode served = JsonCodec.shared().mapper().valueToTree(progress);

    String table = CampaignCommand.table(served);

    assertThat(table).startsWith("campaign px-8-4  phase AwaitingApproval  failed 0 (allowed 1)  refused by "
        + "admission 3");
    assertThat(table).containsPattern("STAGE\\s+PHASE\\s+DONE\\s+RUNNING\\s+FAILED\\s+WAITING\\s+SKIPPED");
    assertThat(table).containsPattern("canary\\s+Completed\\s+1\\s+0\\s+0\\s+0\\s+0");
    assertThat(table).containsPattern("rest\\s+AwaitingApproval\\s+0\\s+0\\s+0\\s+12 \\(2 for window\\)\\s+1");
    assertThat(table).as("which member failed and why").endsWith("failed shop/carts: AlreadyAtTargetVersion: "
        + "database shop/carts already runs version 8.4.3" + System.lineSeparator());
  }

  @Test
  void givenMissingOrUnreadableArguments_thenTheCommandExitsWithUsageAndSendsNothing() throws Exception {
    assertThat(run("campaign", "approve", "px-8-4", "--ingest-url", "http://127.0.0.1:1")).isEqualTo(2);
    Path notYaml = Files.writeString(dir.resolve("spec.yaml"), "stages: [unclosed");
    assertThat(run("campaign", "create", "-f", notYaml.toString(), "--ingest-url", "http://127.0.0.1:1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("campaign")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void givenNoIngest_whenAControlIsSent_thenItExitsUnavailableNamingTheService() {
    StringWriter err = new StringWriter();
    CommandLine cl = PxopsMain.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    assertThat(cl.execute("campaign", "pause", "px-8-4", "--ingest-url", "http://127.0.0.1:1", "--token", "t"))
        .isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void givenACampaignThatEnds_whenWatched_thenEachChangeIsPrintedOnceAndTheExitSaysHowItEnded() throws Exception {
    List<String> phases = List.of("Running", "Running", "Running", "BudgetExhausted");
    java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer projector = serving(exchange -> phases.get(Math.min(looks.getAndIncrement(),
        phases.size() - 1)));
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = PxopsMain.commandLine();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      // no broker answers: after --topic-wait it follows the status API instead, and says so
      int exit = cl.execute("campaign", "watch", "px-8-4", "--interval", "10ms", "--timeout", "1m", "--status-url",
          "http://127.0.0.1:" + projector.getAddress().getPort(), "--token", "t",
          "--bootstrap-servers", "127.0.0.1:1", "--topic-wait", "300ms");

      assertThat(exit).as("stopped by its budget").isEqualTo(ExitCodes.FAILED);
      assertThat(err.toString()).contains("cannot read pxops.status from 127.0.0.1:1")
          .contains("following the status API at http://127.0.0.1:");
      assertThat(looks.get()).isGreaterThanOrEqualTo(phases.size());
      assertThat(out.toString().split("campaign px-8-4 ", -1)).as("a table per change, not per look").hasSize(3);
    } finally {
      projector.stop(0);
    }
  }

  @Test
  void givenACampaignThatNeverEnds_whenWatched_thenTheTimeoutEndsItWithItsOwnExitCode() throws Exception {
    com.sun.net.httpserver.HttpServer projector = serving(exchange -> "Running");
    try {
      StringWriter err = new StringWriter();
      CommandLine cl = PxopsMain.commandLine();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      int exit = cl.execute("campaign", "watch", "px-8-4", "--interval", "10ms", "--timeout", "300ms",
          "--status-url", "http://127.0.0.1:" + projector.getAddress().getPort(), "--token", "t",
          "--topic-wait", "0s");

      assertThat(exit).isEqualTo(ExitCodes.TIMED_OUT);
      assertThat(err.toString()).contains("did not end within");
    } finally {
      projector.stop(0);
    }
  }

  @Test
  void givenNoProjector_whenWatched_thenItExitsUnavailableAtOnce() {
    assertThat(run("campaign", "watch", "px-8-4", "--timeout", "1m", "--status-url", "http://127.0.0.1:1",
        "--token", "t", "--topic-wait", "0s")).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  /** A projector's campaign endpoint answering each look with the progress in the phase {@code phase} gives. */
  private static com.sun.net.httpserver.HttpServer serving(
      java.util.function.Function<com.sun.net.httpserver.HttpExchange, String> phase) throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/campaigns/px-8-4", exchange -> {
      String p = phase.apply(exchange);
      byte[] body = JsonCodec.shared().mapper().writeValueAsBytes(new CampaignRecord.Progress("px-8-4", "run1",
          Instant.parse("2026-12-01T10:00:00Z"), new CampaignProgress("px-8-4", p, List.of(
              new StageProgress("canary", p, 0, 1, 0, 0, 0, 0))), 0, 0, 0));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static int run(String... args) {
    CommandLine cl = PxopsMain.commandLine();
    cl.setErr(new PrintWriter(new StringWriter()));
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }
}
