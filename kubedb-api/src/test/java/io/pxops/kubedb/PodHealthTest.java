package io.pxops.kubedb;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodHealthTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(2);

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("running and ready", pod("Running", true, null, null), PodHealth.State.READY, null),
        Arguments.of("running, not ready (joining)", pod("Running", false, null, null), PodHealth.State.STARTING,
            null),
        Arguments.of("pending, no status detail", pod("Pending", false, null, null), PodHealth.State.STARTING, null),
        Arguments.of("image cannot be pulled", pod("Pending", false, "ImagePullBackOff", null),
            PodHealth.State.STUCK, "ImagePullBackOff"),
        Arguments.of("crash loop", pod("Running", false, "CrashLoopBackOff", null), PodHealth.State.STUCK,
            "CrashLoopBackOff"),
        Arguments.of("secret missing", pod("Pending", false, "CreateContainerConfigError", null),
            PodHealth.State.STUCK, "CreateContainerConfigError"),
        Arguments.of("container creating is progress", pod("Pending", false, "ContainerCreating", null),
            PodHealth.State.STARTING, null),
        Arguments.of("unschedulable within the grace", pod("Pending", false, null, NOW.minusSeconds(30)),
            PodHealth.State.STARTING, null),
        Arguments.of("unschedulable past the grace", pod("Pending", false, null, NOW.minusSeconds(121)),
            PodHealth.State.STUCK, "Unschedulable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void judgesThePod(String title, Pod pod, PodHealth.State state, String reason) {
    PodHealth.Verdict v = PodHealth.of(pod, NOW, GRACE);
    assertThat(v.state()).isEqualTo(state);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.message()).contains("orders-1");
  }

  private static Pod pod(String phase, boolean ready, String waiting, Instant unschedulableSince) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("orders-1").endMetadata().withNewStatus()
        .withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus();
    Pod pod = b.build();
    if (waiting != null) {
      pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder()
          .withName("perconaxtradb").withNewState().withNewWaiting().withReason(waiting).withMessage("detail")
          .endWaiting().endState().build());
    }
    if (unschedulableSince != null) {
      pod.getStatus().getConditions().add(new PodConditionBuilder()
          .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage("0/3 nodes")
          .withLastTransitionTime(unschedulableSince.toString()).build());
    }
    return pod;
  }
}
