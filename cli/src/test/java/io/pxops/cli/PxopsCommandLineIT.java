package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pxops} driven as a user drives it — each command its own process, its output and exit code read back —
 * against the local world with the services running as separate processes and a real Galera cluster: submit,
 * watch, status, list, history; a request that fails, then its replay after the catalog is fixed.
 */
class PxopsCommandLineIT {

  private static final String NS = "cli-it";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS));

  private static LocalPipeline pipeline;
  private static Path dir;

  /** One run of the command. */
  record Run(int exitCode, String out, String err) {
  }

  @BeforeAll
  static void startTheServices() throws Exception {
    dir = Files.createTempDirectory("cli-it-");
    // the nodes bootstrap while the five services start (~10 s of suite time less than one after the other)
    WORLD.world().createDatabase("books", 3, WORLD.world().olderVersion());
    pipeline = LocalPipeline.start(WORLD.world(), dir, Map.of("PXOPS_TICK_INTERVAL", "PT0.2S",
        "PXOPS_RECHECK_INTERVAL", "PT0.5S"));
  }

  @AfterAll
  static void stopTheServices() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void submitWatchStatusListHistory_thenAFailedRequestIsReplayedAfterTheCatalogIsFixed(LocalWorld world)
      throws Exception {
    await().atMost(Duration.ofMinutes(2)).until(world.allPodsReady("books", 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(world.client().resources(PerconaXtraDB.class)
        .inNamespace(NS).withName("books").get().getStatus().getPhase()));

    Run usage = pxops("submit", "-n", NS);
    assertThat(usage.exitCode()).as(usage.err()).isEqualTo(2);
    assertThat(usage.err()).contains("--database and --target-version are required");

    Run submit = pxops("submit", "-n", NS, "-d", "books", "-t", world.newerVersion(), "--name", "books-upd",
        "--timeout", "3m");
    assertThat(submit.exitCode()).as(submit.err()).isZero();
    assertThat(submit.out()).contains("submitted cli-it/books-upd");

    Run refused = pxops("submit", "-n", NS, "-d", "nosuch", "-t", world.newerVersion());
    assertThat(refused.exitCode()).as(refused.out()).isEqualTo(4);
    assertThat(refused.err()).contains("HTTP 404", "database");

    // the token comes from the kubeconfig above; one the cluster does not know is refused, saying so
    Run badToken = pxops("list", "-n", NS, "--token", "not-a-known-token");
    assertThat(badToken.exitCode()).as(badToken.out() + badToken.err()).isEqualTo(4);
    assertThat(badToken.err()).contains("HTTP 401", "not valid", "--token");

    Run watch = pxops("watch", "cli-it/books-upd", "--timeout", "PT4M");
    assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
    assertThat(watch.out()).contains("✔ Preflight", "✔ VerifyPod--books-2", "✔ VerifyPod--books-0",
        "[████████████] Verified", "Successful");
    assertThat(watch.out().indexOf("EvictPod--books-2")).isLessThan(watch.out().indexOf("EvictPod--books-1"));

    Run status = pxops("status", "books-upd", "-n", NS, "-o", "json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    JsonNode json = JsonCodec.shared().mapper().readTree(status.out());
    assertThat(json.path("phase").asText()).isEqualTo("Successful");
    assertThat(json.path("pods")).hasSize(3);

    Run list = pxops("list", "-n", NS);
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains("REQUEST", "cli-it/books-upd", "Successful", "3/3");

    Run history = pxops("history", "cli-it/books-upd");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out()).contains("RequestAdmitted", "EvictPod", "PodEvicted", "PodVerified",
        "RequestSucceeded", "spec.targetVersion=", "pod=books-0");
    assertThat(history.out()).as("fields, not Java record dumps").doesNotContain("RequestSpec[", "NodeObservation[");

    Run notFailed = pxops("replay", "cli-it/books-upd");
    assertThat(notFailed.exitCode()).isEqualTo(4);
    assertThat(notFailed.err()).contains("only a Failed request can be replayed");

    // a catalog entry whose image no local build answers to: the first pod gets stuck
    String broken = "10.11.98";
    world.putCatalogEntry(broken, ServerImages.imageFor(broken));
    Path yaml = dir.resolve("books-fix.yaml");
    Files.writeString(yaml, "apiVersion: ops.kubedb.com/v1alpha1\nkind: PerconaXtraDBOpsRequest\nmetadata:\n"
        + "  name: books-fix\n  namespace: " + NS + "\nspec:\n  type: UpdateVersion\n  databaseRef:\n    name: books\n"
        + "  updateVersion:\n    targetVersion: \"" + broken + "\"\n  timeout: 2m\n");
    Run failing = pxops("submit", "-f", yaml.toString(), "--watch", "--watch-timeout", "PT3M");
    assertThat(failing.exitCode()).as(failing.out() + failing.err()).isEqualTo(1);
    assertThat(failing.out()).contains("Failed", "books-2", "ImagePullBackOff");

    world.putCatalogEntry(broken, ServerImages.imageFor(world.newerVersion()));
    Run replay = pxops("replay", "cli-it/books-fix", "--watch", "--watch-timeout", "PT4M");
    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
    assertThat(replay.out()).contains("replay of cli-it/books-fix requested", "attempt 2", "Successful");
  }

  /**
   * {@code pxops campaign watch} follows the campaign's key on pxops.status live, as the projector publishes each
   * progress: the status API it is given does not answer, so every table it prints came from the topic.
   */
  @Test
  void campaignWatch_followsTheCampaignOnTheStatusTopicUntilItEnds(LocalWorld world) throws Exception {
    String campaign = "cli-topic-watch";
    try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of("bootstrap.servers",
            world.kafka().bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(progress(campaign, "Running")).get();
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cl = PxopsMain.commandLine();
      cl.setOut(new java.io.PrintWriter(out, true));
      cl.setErr(new java.io.PrintWriter(err, true));
      java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> cl.execute("campaign", "watch", campaign, "--timeout", "1m", "--bootstrap-servers",
              world.kafka().bootstrapServers(), "--status-url", "http://127.0.0.1:1", "--token", "t"));
      await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("phase Running"));
      assertThat(exit).as("still watching").isNotDone();

      producer.send(progress(campaign, "Completed")).get();
      assertThat(exit.get(30, TimeUnit.SECONDS)).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).contains("phase Completed");
      assertThat(err.toString()).as("the topic was reached: no fall-back").doesNotContain("status API");
    }
  }

  private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> progress(String campaign,
      String phase) throws Exception {
    return new org.apache.kafka.clients.producer.ProducerRecord<>(io.pxops.events.Topics.STATUS,
        CampaignCommand.STATUS_KEY_PREFIX + campaign, JsonCodec.shared().mapper().writeValueAsBytes(
            new io.pxops.events.campaign.CampaignRecord.Progress(campaign, "run1", java.time.Instant.now(),
                new io.pxops.events.campaign.CampaignProgress(campaign, phase, List.of(
                    new io.pxops.events.campaign.CampaignProgress.StageProgress("all", phase, 1, 0, 0, 0, 0, 0))),
                0, 0, 0)));
  }

  /** Runs {@code pxops args} in its own JVM, as a shell would, against the running services. */
  private static Run pxops(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        PxopsMain.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", WORLD.world().kafka().bootstrapServers());
    pb.environment().put("PXOPS_INGEST_URL", pipeline.ingestUrl());
    pb.environment().put("PXOPS_STATUS_URL", pipeline.statusUrl());
    // as a user's kubectl would: the local world's kubeconfig, whose token the HTTP APIs accept
    pb.environment().put("KUBECONFIG", dir.resolve("kubeconfig").toString());
    pb.environment().remove("PXOPS_TOKEN");
    Process p = pb.start();
    assertThat(p.waitFor(6, TimeUnit.MINUTES)).as("pxops " + String.join(" ", args) + " ended").isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
