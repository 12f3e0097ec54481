package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Envelope;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.OpsRequestStatus;
import io.pxops.statusprojector.LifecycleLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsRequestStatusesTest {

  private static RequestStatus fold(List<Envelope> log, String request) {
    RequestStatus status = null;
    for (Envelope e : log) {
      if (e.opsRequest().equals(request)) {
        status = StatusFold.apply(status, e);
      }
    }
    return status;
  }

  @Test
  void givenAFailedRequest_whenMapped_thenPhaseConditionsAndGenerationAreKubeDbShaped() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1").failStep("ImagePullBackOff", "no image", false)
        .runToIdle();
    RequestStatus status = fold(run.log(), "shop/upd-1");

    OpsRequestStatus out = OpsRequestStatuses.toKubernetes(status, 2L, null);

    assertThat(out.getPhase()).isEqualTo("Failed");
    assertThat(out.getObservedGeneration()).isEqualTo(2L);
    assertThat(out.getConditions()).extracting(Condition::getType)
        .isEqualTo(status.conditions().stream().map(c -> c.type()).toList());
    assertThat(out.getConditions()).extracting(Condition::getObservedGeneration).containsOnly(2L);
    Condition failedStep = out.getConditions().stream()
        .filter(c -> c.getType().equals("CheckPodRunning--orders-1")).findFirst().orElseThrow();
    assertThat(failedStep.getStatus()).isEqualTo("False");
    assertThat(failedStep.getReason()).isEqualTo("ImagePullBackOff");
    assertThat(failedStep.getSeverity()).isEqualTo("Error");
    assertThat(out.getConditions().get(0).getSeverity()).isNull();
    assertThat(out.getConditions().get(0).getLastTransitionTime())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  }

  @Test
  void givenTheStatusAlreadyOnTheObject_whenCompared_thenItIsTheSameAndAChangedOneIsNot() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1");
    RequestStatus started = fold(run.log(), "shop/upd-1");
    run.runToIdle();
    RequestStatus done = fold(run.log(), "shop/upd-1");
    OpsRequestStatus existing = OpsRequestStatuses.toKubernetes(started, 1L, null);
    existing.getAdditionalProperties().put("pausedBackups", List.of());

    OpsRequestStatus again = OpsRequestStatuses.toKubernetes(started, 1L, existing);
    OpsRequestStatus newer = OpsRequestStatuses.toKubernetes(done, 1L, existing);
    OpsRequestStatus newGeneration = OpsRequestStatuses.toKubernetes(started, 2L, existing);

    assertThat(OpsRequestStatuses.same(existing, again)).isTrue();
    assertThat(again.getAdditionalProperties()).containsKey("pausedBackups");
    assertThat(OpsRequestStatuses.same(existing, newer)).isFalse();
    assertThat(OpsRequestStatuses.same(existing, newGeneration)).isFalse();
    assertThat(OpsRequestStatuses.same(null, again)).isFalse();
  }
}
