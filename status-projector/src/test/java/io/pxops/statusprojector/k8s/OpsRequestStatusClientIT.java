package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.sandbox.kube.MockKubernetes;
import io.pxops.statusprojector.LifecycleLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status write against the local Kubernetes API: written once, replaced whole, skipped when equal. */
class OpsRequestStatusClientIT {

  private static MockKubernetes api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = MockKubernetes.start();
    client = api.client("shop");
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  private static RequestStatus fold(List<Envelope> log) {
    RequestStatus status = null;
    for (Envelope e : log) {
      status = StatusFold.apply(status, e);
    }
    return status;
  }

  private static PerconaXtraDBOpsRequest create(String name) {
    return create(name, PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION, Map.of());
  }

  private static PerconaXtraDBOpsRequest create(String name, String type, Map<String, String> labels) {
    PerconaXtraDBOpsRequest request = new PerconaXtraDBOpsRequest();
    request.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withLabels(labels).build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(type);
    spec.setDatabaseRef(new LocalObjectReference("orders"));
    request.setSpec(spec);
    return client.resources(PerconaXtraDBOpsRequest.class).inNamespace("shop").resource(request)
        .create();
  }

  private static PerconaXtraDBOpsRequest read(String name) {
    return client.resources(PerconaXtraDBOpsRequest.class).inNamespace("shop").withName(name)
        .get();
  }

  @Test
  void givenAnOpsRequestObject_whenStatusesAreWritten_thenEachReplacesTheLastAndAnEqualOneIsSkipped() {
    create("upd-1");
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1")
        .runUntil(EvictPod.class, "orders-1");
    RequestStatus midway = fold(run.log());
    RequestStatus done = fold(run.runToIdle().log());
    OpsRequestStatusClient writer = new OpsRequestStatusClient(client);

    OpsRequestStatusClient.Result first = writer.write(midway);
    String versionAfterFirst = read("upd-1").getMetadata().getResourceVersion();
    OpsRequestStatusClient.Result again = writer.write(midway);
    String versionAfterAgain = read("upd-1").getMetadata().getResourceVersion();
    OpsRequestStatusClient.Result last = writer.write(done);

    assertThat(first).isEqualTo(OpsRequestStatusClient.Result.WRITTEN);
    assertThat(again).isEqualTo(OpsRequestStatusClient.Result.UNCHANGED);
    assertThat(versionAfterAgain).isEqualTo(versionAfterFirst);
    assertThat(last).isEqualTo(OpsRequestStatusClient.Result.WRITTEN);
    PerconaXtraDBOpsRequest object = read("upd-1");
    assertThat(object.getStatus().getPhase()).isEqualTo("Successful");
    // replaced, not appended: exactly the projected conditions, each once
    assertThat(object.getStatus().getConditions()).extracting(c -> c.getType())
        .isEqualTo(done.conditions().stream().map(c -> c.type()).toList());
    assertThat(object.getStatus().getObservedGeneration())
        .isEqualTo(object.getMetadata().getGeneration());
    assertThat(object.getSpec().getDatabaseRef().getName()).isEqualTo("orders");
  }

  @Test
  void givenAStatusWritten_thenEachNewConditionIsAnEventOnTheRequest_onceAndShownByKubectlDescribe(
      @TempDir Path dir) throws Exception {
    PerconaXtraDBOpsRequest object = create("upd-ev");
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-ev").runUntil(EvictPod.class, "orders-1");
    RequestStatus midway = fold(run.log());
    RequestStatus done = fold(run.runToIdle().log());
    OpsRequestStatusClient writer = new OpsRequestStatusClient(client);
    writer.write(midway);
    List<Event> afterMidway = eventsOf(object.getMetadata().getUid());
    writer.write(done);
    writer.write(done); // unchanged: tells nothing again
    List<Event> all = eventsOf(object.getMetadata().getUid());

    // one Event per condition of the final status, whatever statuses the writes skipped; none twice
    assertThat(all).extracting(Event::getReason).containsAll(done.conditions().stream().map(c -> c.type())
        .toList()).doesNotHaveDuplicates();
    assertThat(afterMidway).hasSizeLessThan(all.size());
    assertThat(all).allSatisfy(e -> {
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("PerconaXtraDBOpsRequest");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("upd-ev");
      assertThat(e.getSource().getComponent()).isEqualTo("pxops");
    });
    // the database's own story: paused and resumed
    assertThat(client.v1().events().inNamespace("shop").list().getItems()).filteredOn(e -> "PerconaXtraDB"
        .equals(e.getInvolvedObject().getKind()) && "orders".equals(e.getInvolvedObject().getName()))
        .extracting(Event::getReason).contains("Paused", "Resumed");

    // kubectl describe finds them (a field selector on involvedObject, which the local API applies)
    Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), "shop");
    Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "describe", "pxcops",
        "upd-ev", "-n", "shop").redirectErrorStream(true).start();
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).as("kubectl describe ended").isTrue();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.exitValue()).as(out).isZero();
    String events = out.substring(out.indexOf("Events:"));
    assertThat(events).doesNotContain("<none>").contains("UpdateVersion", "PauseDatabase", "UpdatePetSets",
        "EvictPod--orders-2", "ResumeDatabase", "Successful", "pxops");
  }

  private static List<Event> eventsOf(String uid) {
    return client.v1().events().inNamespace("shop").list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid())).toList();
  }

  @Test
  void givenNoObject_whenAStatusIsWritten_thenItIsSkippedAndNothingIsCreated() {
    RequestStatus rejected = fold(new LifecycleLog("orders", 3)
        .reject("from-kafka", "spec.updateVersion.targetVersion", "Deprecated", "deprecated")
        .log());

    OpsRequestStatusClient.Result result = new OpsRequestStatusClient(client).write(rejected);

    assertThat(result).isEqualTo(OpsRequestStatusClient.Result.NO_OBJECT);
    assertThat(read("from-kafka")).isNull();
  }

  @Test
  void givenObjectsPxopsDoesNotClaim_whenTheirStatusIsWritten_thenNothingIsWritten() {
    // KubeDB's Ops Manager may own an object of the same name as a request on pxops' log (deleted and created
    // again): its status is KubeDB's, in either claim mode
    create("restart-1", "Restart", Map.of());
    create("kubedb-upd", PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION, Map.of());
    create("handed-upd", PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION, Map.of(OpsRequestClaim.KEY, "kubedb"));
    create("pxops-upd", PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION,
        Map.of(OpsRequestClaim.KEY, OpsRequestClaim.VALUE));
    OpsRequestStatusClient labelled = new OpsRequestStatusClient(client, OpsRequestClaim.LABELLED);
    OpsRequestStatusClient all = new OpsRequestStatusClient(client, OpsRequestClaim.ALL);

    assertThat(labelled.write(admitted("restart-1"))).isEqualTo(OpsRequestStatusClient.Result.NOT_CLAIMED);
    assertThat(all.write(admitted("restart-1"))).isEqualTo(OpsRequestStatusClient.Result.NOT_CLAIMED);
    assertThat(labelled.write(admitted("kubedb-upd"))).isEqualTo(OpsRequestStatusClient.Result.NOT_CLAIMED);
    assertThat(labelled.write(admitted("handed-upd"))).isEqualTo(OpsRequestStatusClient.Result.NOT_CLAIMED);
    assertThat(all.write(admitted("handed-upd"))).isEqualTo(OpsRequestStatusClient.Result.NOT_CLAIMED);
    for (String untouched : List.of("restart-1", "kubedb-upd", "handed-upd")) {
      assertThat(read(untouched).getStatus()).as(untouched).isNull();
    }

    assertThat(labelled.write(admitted("pxops-upd"))).isEqualTo(OpsRequestStatusClient.Result.WRITTEN);
    assertThat(read("pxops-upd").getStatus().getPhase()).isEqualTo(admitted("pxops-upd").phase().kubeName());
  }

  private static RequestStatus admitted(String name) {
    return fold(new LifecycleLog("orders", 3).admit(name).log());
  }
}
