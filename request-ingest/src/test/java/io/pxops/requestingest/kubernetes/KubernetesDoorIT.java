package io.pxops.requestingest.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.Topics;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PetSet;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.requestingest.LifecycleLogPublisher;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kubernetes door on the local world: {@code kubectl apply} of an UpdateVersion request written in KubeDB's
 * documented format is admitted onto the lifecycle log; one that breaks a rule is rejected naming the rule, and
 * nothing changes in the cluster.
 */
class KubernetesDoorIT {

  private static final String NS = "ingest-it";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  private static LifecycleLogPublisher publisher;
  private static OpsRequestWatcher watcher;
  private static KafkaConsumer<String, byte[]> events;

  @BeforeAll
  static void startTheDoor() {
    LocalWorld world = WORLD.world();
    world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, 3));
    world.createDatabase("orders", 3, world.olderVersion());
    publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
    watcher = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10), Clock.systemUTC(),
        OpsRequestClaim.ALL).start();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("door-it"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    events = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    events.subscribe(List.of(Topics.EVENTS));
  }

  @AfterAll
  static void stopTheDoor() {
    events.close();
    watcher.close();
    publisher.close();
  }

  @Test
  void givenKubeDbsOwnUpdateVersionYaml_whenApplied_thenItIsAdmittedOntoTheLog(LocalWorld world) throws Exception {
    apply(world, yaml("upd-good", "orders", world.newerVersion(), "5m"));

    Envelope e = awaitEvent(NS + "/upd-good");
    assertThat(e.payload()).isInstanceOf(RequestAdmitted.class);
    RequestAdmitted admitted = (RequestAdmitted) e.payload();
    assertThat(admitted.spec().targetVersion()).isEqualTo(world.newerVersion());
    assertThat(admitted.spec().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(admitted.spec().door()).isEqualTo("kubernetes");
    assertThat(e.database()).isEqualTo(NS + "/orders");
  }

  @Test
  void givenRequestsThatBreakARule_thenEachIsRejectedNamingItAndNothingChanges(LocalWorld world) throws Exception {
    // the local KubeDB operator creates the PetSet shortly after the database: compare against the settled one
    await().atMost(Duration.ofSeconds(30)).until(() -> petSetImage(world) != null);
    String imageBefore = petSetImage(world);
    apply(world, yaml("upd-unknown-target", "orders", "10.11.1", "5m"));
    apply(world, yaml("upd-same-version", "orders", world.olderVersion(), "5m"));
    apply(world, yaml("upd-no-db", "nosuchdb", world.newerVersion(), "5m"));
    apply(world, yaml("upd-bad-timeout", "orders", world.newerVersion(), "soon"));

    assertThat(((RequestRejected) awaitEvent(NS + "/upd-unknown-target").payload()).rule())
        .isEqualTo("TargetVersionNotFound");
    assertThat(((RequestRejected) awaitEvent(NS + "/upd-same-version").payload()).rule())
        .isEqualTo("AlreadyAtTargetVersion");
    assertThat(((RequestRejected) awaitEvent(NS + "/upd-no-db").payload()).rule()).isEqualTo("DatabaseNotFound");
    RequestRejected timeout = (RequestRejected) awaitEvent(NS + "/upd-bad-timeout").payload();
    assertThat(timeout.rule()).isEqualTo("InvalidTimeout");
    assertThat(timeout.field()).isEqualTo("spec.timeout");
    assertThat(petSetImage(world)).as("nothing changed in the cluster").isEqualTo(imageBefore);
  }

  /**
   * Beside KubeDB's Ops Manager: KubeDB's other ops request types, and an UpdateVersion handed to another manager,
   * get no event from pxops in either claim mode (before the claim, a Restart request was rejected onto the log and
   * its object marked Failed by the projector). In the default labelled mode an unmarked UpdateVersion is left
   * alone too. All the requests name one database, so their events share one partition: the door admits objects in
   * the informer's order and each write is acknowledged before the next, so once the last one's event is read, an
   * event for any earlier one would have been read before it.
   */
  @Test
  void givenRequestsPxopsDoesNotClaim_thenNeitherModePublishesAnythingForThem(LocalWorld world) throws Exception {
    List<Envelope> labelledDecisions = new java.util.concurrent.CopyOnWriteArrayList<>();
    // a second door in the default mode; its decisions are collected rather than published, so that they are
    // told apart from the class's door (mode all) that writes to the log
    try (OpsRequestWatcher labelled = new OpsRequestWatcher(world.client(), labelledDecisions::add,
        Duration.ofMinutes(10), Clock.systemUTC(), OpsRequestClaim.fromEnv(java.util.Map.of())).start()) {
      create(world, "restart-1", "Restart", java.util.Map.of());
      create(world, "scale-1", "HorizontalScaling", java.util.Map.of());
      create(world, "handed-upd", "UpdateVersion", java.util.Map.of(OpsRequestClaim.KEY, "kubedb"));
      create(world, "unmarked-upd", "UpdateVersion", java.util.Map.of());
      create(world, "marked-upd", "UpdateVersion", java.util.Map.of(OpsRequestClaim.KEY, OpsRequestClaim.VALUE));

      assertThat(awaitEvent(NS + "/marked-upd").payload()).isInstanceOf(RequestAdmitted.class);
      assertThat(awaitEvent(NS + "/unmarked-upd").payload()).as("mode all claims KubeDB's own YAML")
          .isInstanceOf(RequestAdmitted.class);
      assertThat(SEEN).extracting(Envelope::opsRequest)
          .doesNotContain(NS + "/restart-1", NS + "/scale-1", NS + "/handed-upd");

      await().atMost(Duration.ofSeconds(30)).until(() -> labelledDecisions.stream()
          .anyMatch(e -> e.opsRequest().equals(NS + "/marked-upd")));
      assertThat(labelledDecisions).extracting(Envelope::opsRequest).containsExactly(NS + "/marked-upd");
      assertThat(labelledDecisions.get(0).payload()).isInstanceOf(RequestAdmitted.class);
    }
  }

  private static void create(LocalWorld world, String name, String type, java.util.Map<String, String> labels) {
    PerconaXtraDBOpsRequest request = new PerconaXtraDBOpsRequest();
    request.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NS)
        .withLabels(labels).build());
    io.pxops.kubedb.PerconaXtraDBOpsRequestSpec spec = new io.pxops.kubedb.PerconaXtraDBOpsRequestSpec();
    spec.setType(type);
    spec.setDatabaseRef(new io.fabric8.kubernetes.api.model.LocalObjectReference("orders"));
    if ("UpdateVersion".equals(type)) {
      spec.setUpdateVersion(new io.pxops.kubedb.PerconaXtraDBOpsRequestSpec.UpdateVersionSpec(world.newerVersion()));
    }
    request.setSpec(spec);
    world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).resource(request).create();
  }

  private static String petSetImage(LocalWorld world) {
    PetSet ps = world.client().resources(PetSet.class).inNamespace(NS).withName("orders").get();
    return ps == null ? null : ps.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** An UpdateVersion request exactly as KubeDB documents it. */
  private static String yaml(String name, String database, String target, String timeout) {
    return "apiVersion: ops.kubedb.com/v1alpha1\n"
        + "kind: PerconaXtraDBOpsRequest\n"
        + "metadata:\n"
        + "  name: " + name + "\n"
        + "  namespace: " + NS + "\n"
        + "spec:\n"
        + "  type: UpdateVersion\n"
        + "  databaseRef:\n"
        + "    name: " + database + "\n"
        + "  updateVersion:\n"
        + "    targetVersion: \"" + target + "\"\n"
        + "  timeout: " + timeout + "\n"
        + "  apply: IfReady\n";
  }

  /** kubectl apply when kubectl is installed (as a user would); the same YAML through fabric8 otherwise. */
  private static void apply(LocalWorld world, String yaml) throws Exception {
    if (Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
      Path dir = Files.createTempDirectory("door-it-");
      Path file = dir.resolve("request.yaml");
      Files.writeString(file, yaml);
      Path kubeconfig = world.kubernetes().writeKubeconfig(dir.resolve("kubeconfig"), NS);
      ProcessBuilder pb = new ProcessBuilder("kubectl", "apply", "--validate=false", "-f", file.toString())
          .redirectErrorStream(true);
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
    } else {
      world.client().resources(PerconaXtraDBOpsRequest.class)
          .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create();
    }
  }

  private static final List<Envelope> SEEN = new ArrayList<>();

  private static Envelope awaitEvent(String opsRequest) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
        SEEN.add(JsonCodec.shared().decode(r.value()));
      }
      return SEEN.stream().anyMatch(e -> e.opsRequest().equals(opsRequest));
    });
    return SEEN.stream().filter(e -> e.opsRequest().equals(opsRequest)).findFirst().orElseThrow();
  }
}
