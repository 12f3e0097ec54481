package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StepTest {

  @ParameterizedTest
  @CsvSource({
    "PREFLIGHT,         orders-2, Preflight",
    "VERIFY_CLUSTER,    orders-2, VerifyCluster",
    "PAUSE_DATABASE,    orders-2, PauseDatabase",
    "UPDATE_PETSET,     orders-2, UpdatePetSets",
    "EVICT_POD,         orders-2, EvictPod--orders-2",
    "CHECK_POD_RUNNING, orders-1, CheckPodRunning--orders-1",
    "VERIFY_POD,        orders-0, VerifyPod--orders-0",
    "UPDATE_DATABASE,   orders-2, UpdateDatabase",
    "RESUME_DATABASE,   ,         ResumeDatabase"
  })
  void givenAStep_whenItsConditionTypeIsAsked_thenItIsKubeDbsName(
      Step step, String pod, String expected) {
    assertThat(step.conditionType(pod)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(
      value = Step.class,
      names = {"EVICT_POD", "CHECK_POD_RUNNING", "VERIFY_POD"})
  void givenAPerPodStep_whenNoPodIsGiven_thenTheConditionTypeIsRefused(Step step) {
    assertThat(step.perPod()).isTrue();
    assertThatThrownBy(() -> step.conditionType(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void givenAPod_whenItsGetPodConditionIsAsked_thenItFollowsKubeDb() {
    assertThat(Step.getPodConditionType("orders-2")).isEqualTo("GetPod--orders-2");
  }

  @ParameterizedTest
  @EnumSource(OpsPhase.class)
  void givenAPhase_whenSpelledForKubernetes_thenItRoundTrips(OpsPhase phase) {
    assertThat(OpsPhase.fromKubeName(phase.kubeName())).isEqualTo(phase);
    assertThat(phase.kubeName()).matches("([A-Z][a-z]+)+");
    assertThat(phase.terminal())
        .isEqualTo(phase != OpsPhase.PENDING && phase != OpsPhase.PROGRESSING
            && phase != OpsPhase.WAITING_FOR_WINDOW);
  }
}
