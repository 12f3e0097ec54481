package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.sandbox.kube.MockKubernetes;
import io.pxops.statusprojector.LifecycleLog;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    PerconaXtraDBOpsRequest request = new PerconaXtraDBOpsRequest();
    request.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
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
  void givenNoObject_whenAStatusIsWritten_thenItIsSkippedAndNothingIsCreated() {
    RequestStatus rejected = fold(new LifecycleLog("orders", 3)
        .reject("from-kafka", "spec.updateVersion.targetVersion", "Deprecated", "deprecated")
        .log());

    OpsRequestStatusClient.Result result = new OpsRequestStatusClient(client).write(rejected);

    assertThat(result).isEqualTo(OpsRequestStatusClient.Result.NO_OBJECT);
    assertThat(read("from-kafka")).isNull();
  }
}
