package io.pxops.events.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.JsonCodec;
import org.junit.jupiter.api.Test;

/** A request's summary: what a list of many requests shows, without the per-step detail. */
class RequestStatusSummaryTest {

  @Test
  void aSummaryKeepsWhatAListShowsAndDropsThePerStepDetail() throws Exception {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1")
        .failStep("ImagePullBackOff", "pod orders-1 cannot pull the image", false)
        .runToIdle();
    RequestStatus whole = Folds.request(script.log(), LifecycleScript.ref("upd-1"));
    assertThat(whole.failure()).isNotNull();
    assertThat(whole.conditions()).isNotEmpty();
    assertThat(whole.steps()).isNotEmpty();

    RequestStatus summary = whole.summary();

    assertThat(summary.opsRequest()).isEqualTo(whole.opsRequest());
    assertThat(summary.database()).isEqualTo(whole.database());
    assertThat(summary.phase()).isEqualTo(whole.phase());
    assertThat(summary.targetVersion()).isEqualTo(whole.targetVersion());
    assertThat(summary.fromVersion()).isEqualTo(whole.fromVersion());
    assertThat(summary.failure()).isEqualTo(whole.failure());
    assertThat(summary.updatedAt()).isEqualTo(whole.updatedAt());
    assertThat(summary.finishedAt()).isEqualTo(whole.finishedAt());
    assertThat(summary.conditions()).isEmpty();
    assertThat(summary.pods()).isEmpty();
    assertThat(summary.steps()).isEmpty();
    assertThat(summary.recentEventIds()).isEmpty();
    // what makes lists of ten thousand requests cheap: a fraction of the whole status
    assertThat(JsonCodec.shared().mapper().writeValueAsBytes(summary).length)
        .isLessThan(JsonCodec.shared().mapper().writeValueAsBytes(whole).length / 3);
  }
}
