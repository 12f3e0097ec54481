package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.OpsRequestStatus;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsRequestEventsTest {

  private static PerconaXtraDBOpsRequest request() {
    PerconaXtraDBOpsRequest r = new PerconaXtraDBOpsRequest();
    r.setMetadata(new ObjectMetaBuilder().withName("upd").withNamespace("shop").withUid("u-1").build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
    spec.setDatabaseRef(new LocalObjectReference("orders"));
    r.setSpec(spec);
    return r;
  }

  private static Condition c(String type, String status, String message) {
    return new Condition(type, status, type, message, 1L, "2026-12-01T08:00:00Z", null);
  }

  private static OpsRequestStatus status(Condition... conditions) {
    OpsRequestStatus s = new OpsRequestStatus();
    s.setConditions(List.of(conditions));
    return s;
  }

  @Test
  void onlyConditionsThatAppearOrChangeAreTold_aFailureAsAWarning_andPauseAndResumeOnTheDatabaseToo() {
    OpsRequestStatus before = status(c("UpdateVersion", "True", "started"), c("PauseDatabase", "True", "paused"));
    OpsRequestStatus after = status(c("UpdateVersion", "True", "started"), c("PauseDatabase", "True", "paused"),
        c("EvictPod--orders-2", "False", "eviction refused"), c("ResumeDatabase", "True", "resumed"));

    List<Event> events = OpsRequestEvents.changes(request(), before, after);

    assertThat(events).extracting(Event::getReason).containsExactly("EvictPod--orders-2", "ResumeDatabase",
        "Resumed");
    assertThat(events.get(0).getType()).isEqualTo("Warning");
    assertThat(events.get(0).getMessage()).isEqualTo("eviction refused");
    assertThat(events.get(1).getInvolvedObject().getKind()).isEqualTo("PerconaXtraDBOpsRequest");
    assertThat(events.get(1).getInvolvedObject().getUid()).isEqualTo("u-1");
    assertThat(events.get(2).getInvolvedObject().getKind()).isEqualTo("PerconaXtraDB");
    assertThat(events.get(2).getInvolvedObject().getName()).isEqualTo("orders");
    assertThat(events.get(2).getMessage()).contains("resumed PerconaXtraDB database shop/orders",
        "PerconaXtraDBOpsRequest shop/upd");
  }

  @Test
  void theSameChangeAlwaysGetsTheSameEventNames_soARepeatedWriteTellsNothingTwice() {
    OpsRequestStatus after = status(c("UpdateVersion", "True", "started"), c("PauseDatabase", "True", "paused"));
    List<String> first = OpsRequestEvents.changes(request(), null, after).stream()
        .map(e -> e.getMetadata().getName()).toList();
    List<String> again = OpsRequestEvents.changes(request(), null, after).stream()
        .map(e -> e.getMetadata().getName()).toList();
    assertThat(first).hasSize(3).doesNotHaveDuplicates().isEqualTo(again);
    assertThat(OpsRequestEvents.changes(request(), after, after)).isEmpty();
  }
}
