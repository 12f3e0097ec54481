package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.pxops.events.JsonCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pxops plan DATABASE --to VERSION} and {@code pxops campaign plan -f}: what they ask of the ingest's dry runs
 * and how they show its answers (an ingest's HTTP door stand-in answering as the ingest answers); the exit codes; and
 * the usage errors, decided before anything is sent.
 */
class DryRunPlanCommandTest {

  private static final String STEPS = "[{\"step\":\"Preflight\"},{\"step\":\"VerifyCluster\"},"
      + "{\"step\":\"PauseDatabase\"},{\"step\":\"UpdatePetSets\"},"
      + pod("orders-2") + "," + pod("orders-1") + "," + pod("orders-0") + ","
      + "{\"step\":\"UpdateDatabase\"},{\"step\":\"ResumeDatabase\"}]";
  private static final String PODS = "[{\"name\":\"orders-2\",\"ordinal\":2,\"ready\":true,\"image\":\"px:8.0.40\"},"
      + "{\"name\":\"orders-1\",\"ordinal\":1,\"ready\":false,\"image\":\"px:8.0.40\"},"
      + "{\"name\":\"orders-0\",\"ordinal\":0,\"ready\":true,\"image\":\"px:8.0.40\"}]";
  private static final String ACCEPTED = "{\"dryRun\":true,\"decision\":\"Accepted\",\"request\":{\"name\":"
      + "\"orders-update-1\",\"nameDerived\":true,\"namespace\":\"shop\",\"database\":\"orders\",\"fromVersion\":"
      + "\"8.0.40\",\"targetVersion\":\"8.4.3\",\"timeout\":\"PT5M\",\"apply\":\"IfReady\",\"maxRetries\":1},"
      + "\"steps\":" + STEPS + ",\"podOrder\":" + PODS + ",\"window\":{\"has\":true,\"openNow\":false,\"startsAt\":"
      + "\"2026-12-05T21:00:00Z\",\"message\":\"its maintenance window is closed now: it would wait "
      + "(WaitingForWindow) and start when it opens, at 2026-12-05T21:00:00Z\"},\"queue\":{\"known\":true,\"active\":"
      + "\"shop/orders-hotfix\",\"pending\":[],\"ahead\":1,\"source\":\"the status projector http://status:8082\","
      + "\"message\":\"shop/orders-hotfix holds shop/orders: this one would run after it\"},\"estimate\":{\"total\":\"PT49S\","
      + "\"totalSeconds\":49,\"source\":\"the median of each step's durations in 3 successful update(s) of "
      + "shop/orders measured by pxops (status projector http://status:8082)\"}}";
  private static final String REFUSED = "{\"dryRun\":true,\"decision\":\"Refused\",\"error\":"
      + "\"TargetVersionDeprecated\",\"field\":\"spec.updateVersion.targetVersion\",\"message\":\"target version "
      + "8.4.0 is deprecated in the PerconaXtraDBVersion catalog\"}";

  @TempDir Path dir;

  /** One server for the class: each test sets its answer (a JDK server's stop takes up to a second). */
  private static HttpServer ingest;
  private static volatile int answerStatus;
  private static volatile String answerBody;
  private static final List<String> asked = new CopyOnWriteArrayList<>();
  private static final List<String> bodies = new CopyOnWriteArrayList<>();
  private static final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws java.io.IOException {
    ingest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ingest.createContext("/", exchange -> {
      asked.add(exchange.getRequestURI().toString());
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] answer = answerBody.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answerStatus, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    ingest.start();
  }

  @AfterAll
  static void stop() {
    ingest.stop(0);
  }

  @BeforeEach
  void forget() {
    asked.clear();
    bodies.clear();
    tokens.clear();
  }

  @Test
  void givenAnAcceptedUpdate_thenItsStepsPodOrderWindowAndEstimateAreShown_andTheSubmitsBodyWasSent()
      throws Exception {
    serve(200, ACCEPTED);
    StringWriter out = new StringWriter();

    int exit = run(out, "plan", "shop/orders", "--to", "8.4.3", "--timeout", "5m", "--ingest-url", url(),
        "--token", "t");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(asked).containsExactly("/api/v1/namespaces/shop/updaterequests?dryRun=All");
    JsonNode sent = JsonCodec.shared().mapper().readTree(bodies.get(0));
    assertThat(sent.path("database").asText()).isEqualTo("orders");
    assertThat(sent.path("targetVersion").asText()).isEqualTo("8.4.3");
    assertThat(sent.path("timeout").asText()).isEqualTo("5m");
    assertThat(tokens).containsExactly("Bearer t");
    String shown = out.toString();
    assertThat(shown).startsWith("Update shop/orders 8.0.40 -> 8.4.3: admission would accept it (timeout 5m,");
    assertThat(shown).contains("Starts: its maintenance window is closed now: it would wait (WaitingForWindow) and "
        + "start when it opens, at 2026-12-05T21:00:00Z.");
    assertThat(shown).contains("Queue: shop/orders-hotfix holds shop/orders: this one would run after it.");
    assertThat(shown).containsPattern("1\\s+Preflight\\n").containsPattern("5\\s+EvictPod\\s+orders-2\\n")
        .containsPattern("13\\s+VerifyPod\\s+orders-0\\n").containsPattern("15\\s+ResumeDatabase\\n");
    assertThat(shown).containsPattern("1\\s+orders-2\\s+yes\\s+px:8.0.40").containsPattern("2\\s+orders-1\\s+no");
    assertThat(shown).contains("Estimate: ~49s of steps").contains("3 successful update(s) of shop/orders");
  }

  @Test
  void givenARefusal_thenTheRuleAndFieldAreShownAndTheExitIsRefused() {
    serve(422, REFUSED);
    StringWriter out = new StringWriter();

    int exit = run(out, "plan", "orders", "-n", "shop", "--to", "8.4.0", "--ingest-url", url(), "--token", "t");

    assertThat(exit).isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).startsWith("Update shop/orders -> 8.4.0: admission would refuse it.")
        .containsPattern("TargetVersionDeprecated\\s+spec.updateVersion.targetVersion\\s+target version 8.4.0 is");
  }

  @Test
  void givenJsonOutput_thenTheIngestsAnswerIsPrinted() throws Exception {
    serve(200, ACCEPTED);
    StringWriter out = new StringWriter();

    assertThat(run(out, "plan", "shop/orders", "--to", "8.4.3", "-o", "json", "--ingest-url", url(), "--token", "t"))
        .isEqualTo(ExitCodes.OK);
    assertThat(JsonCodec.shared().mapper().readTree(out.toString()))
        .isEqualTo(JsonCodec.shared().mapper().readTree(ACCEPTED));
  }

  @Test
  void givenTheDoorRefusesTheCaller_thenItIsNoDecisionButARefusalOfTheCall() {
    serve(403, "{\"error\":\"Forbidden\",\"field\":null,\"message\":\"reader may not create in shop\"}");
    StringWriter err = new StringWriter();
    CommandLine cl = PxopsMain.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));

    assertThat(cl.execute("plan", "shop/orders", "--to", "8.4.3", "--ingest-url", url(), "--token", "t"))
        .isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).contains("HTTP 403").contains("may not create");
  }

  @Test
  void givenWrongArguments_thenUsageBeforeAnythingIsSent() throws Exception {
    Path spec = Files.writeString(dir.resolve("c.yaml"), "name: x\n");
    String nowhere = "http://127.0.0.1:1"; // a call would end in UNAVAILABLE, not USAGE
    StringWriter out = new StringWriter();
    assertThat(run(out, "plan", "shop/orders", "--ingest-url", nowhere)).as("no --to").isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "plan", "--ingest-url", nowhere)).as("neither form").isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "plan", "shop/orders", "--to", "8.4.3", "-f", spec.toString(), "--ingest-url", nowhere))
        .as("both forms").isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "plan", "-f", spec.toString(), "--fleet", spec.toString(), "--to", "8.4.3"))
        .as("--to with a campaign").isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "plan", "-f", spec.toString())).as("-f without --fleet").isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "plan", "a/b/c", "--to", "8.4.3", "--ingest-url", nowhere)).isEqualTo(ExitCodes.USAGE);
    assertThat(run(out, "campaign", "plan", "--ingest-url", nowhere)).as("no -f").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void givenACampaignDryRunWithDetail_thenStagesEachDatabasesPodsAndStepsAndTheEstimateAreShown() throws Exception {
    serve(200, "{\"dryRun\":true,\"campaign\":\"px-8-4\",\"startsAt\":\"2026-12-05T22:00:00Z\",\"stages\":["
        + "{\"name\":\"canary\",\"maxConcurrent\":1,\"gate\":\"none\",\"startsAfter\":\"PT0S\",\"endsAfter\":"
        + "\"PT10M\",\"databases\":[{\"database\":\"shop/orders\",\"from\":\"8.0.40\",\"to\":\"8.4.3\","
        + "\"window\":\"always\",\"steps\":" + STEPS + ",\"podOrder\":" + PODS + "}]},"
        + "{\"name\":\"rest\",\"maxConcurrent\":2,\"gate\":\"approval\",\"startsAfter\":\"PT10M\",\"endsAfter\":"
        + "\"PT20M\",\"databases\":[{\"database\":\"shop/carts\",\"from\":\"8.0.40\",\"to\":\"8.4.3\","
        + "\"window\":\"opens 2026-12-06T00:00:00Z\",\"steps\":[],\"podOrder\":[]}]}],"
        + "\"refused\":[{\"database\":\"shop/search\",\"rule\":\"TargetNotAllowed\",\"message\":\"the catalog does "
        + "not allow 8.0.36 -> 8.4.3\"}],\"leftOut\":[],\"allowedFailures\":1,\"estimate\":{\"total\":\"PT20M\","
        + "\"totalSeconds\":1200,\"approvalsNotCounted\":[\"rest\"],\"source\":\"every update succeeding, from 2 "
        + "successful update(s) measured by pxops (status projector http://status:8082): 1 database(s) use their own "
        + "last update, the others the median, PT10M\"}}");
    Path spec = Files.writeString(dir.resolve("c.yaml"), "name: px-8-4\ntarget: {version: \"8.4.3\"}\n");
    StringWriter out = new StringWriter();

    int exit = run(out, "campaign", "plan", "-f", spec.toString(), "--detail", "--ingest-url", url(), "--token", "t");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(asked).containsExactly("/api/v1/campaigns?dryRun=All&detail=true");
    assertThat(JsonCodec.shared().mapper().readTree(bodies.get(0)).path("target").path("version").asText())
        .as("the spec, as JSON").isEqualTo("8.4.3");
    String shown = out.toString();
    assertThat(shown).startsWith("Campaign px-8-4: 2 database(s) in 2 stage(s); 1 refused; 0 left out; 1 failure(s) "
        + "tolerated.");
    assertThat(shown).contains("Stage 1 canary: 1 database(s), at most 1 at once, gate: none, ~+0s to ~+10m")
        .containsPattern("1\\s+shop/orders\\s+8.0.40\\s+8.4.3\\s+always")
        .contains("shop/orders: pods orders-2, orders-1 (not Ready), orders-0")
        .contains("steps Preflight, VerifyCluster, PauseDatabase, UpdatePetSets, per pod: EvictPod, CheckPodRunning, "
            + "VerifyPod; UpdateDatabase, ResumeDatabase")
        .contains("shop/carts: pods none to restart")
        .containsPattern("shop/search\\s+TargetNotAllowed")
        .contains("Estimate: ~20m from 2026-12-05T22:00:00Z (time waiting for approval of rest not counted).")
        .contains("1 database(s) use their own last update");
  }

  @Test
  void givenACampaignTheCreateWouldRefuse_thenEveryFieldAndRuleIsShownAndTheExitIsRefused() throws Exception {
    serve(400, "{\"error\":\"Between\",\"field\":\"stages[0].maxConcurrent\",\"message\":\"must be 1 to 1000, is 0\","
        + "\"violations\":[{\"field\":\"stages[0].maxConcurrent\",\"rule\":\"Between\",\"message\":\"must be 1 to "
        + "1000, is 0\"},{\"field\":\"name\",\"rule\":\"Required\",\"message\":\"is required\"}]}");
    Path spec = Files.writeString(dir.resolve("c.yaml"), "stages: [{maxConcurrent: 0}]\n");
    StringWriter out = new StringWriter();

    assertThat(run(out, "campaign", "plan", "-f", spec.toString(), "--ingest-url", url(), "--token", "t"))
        .isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).containsPattern("stages\\[0\\].maxConcurrent\\s+Between")
        .containsPattern("name\\s+Required");
  }

  private static String pod(String pod) {
    return "{\"step\":\"EvictPod\",\"pod\":\"" + pod + "\"},{\"step\":\"CheckPodRunning\",\"pod\":\"" + pod + "\"},"
        + "{\"step\":\"VerifyPod\",\"pod\":\"" + pod + "\"}";
  }

  /** The ingest's door stand-in answers each call with {@code status} and {@code body}. */
  private static void serve(int status, String body) {
    answerStatus = status;
    answerBody = body;
  }

  private static String url() {
    return "http://127.0.0.1:" + ingest.getAddress().getPort();
  }

  private static int run(StringWriter out, String... args) {
    CommandLine cl = PxopsMain.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }
}
