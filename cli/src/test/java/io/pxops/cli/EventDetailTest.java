package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.NodeObservation;
import io.pxops.events.PodVerified;
import io.pxops.events.RequestFailed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDetailTest {

  @Test
  void anEventReadsAsKeyValuePairsNeverAsARecordDump() {
    String s = EventDetail.of(new RequestFailed(io.pxops.events.Step.VERIFY_POD, "px-1", "DataMismatch", "table app.t differs"), 0);
    assertThat(s).doesNotContain("RequestFailed[", "]");
    assertThat(s).contains("pod=px-1", "reason=DataMismatch", "message=\"table app.t differs\"");
  }

  @Test
  void nestedValuesAreDottedListsAreJsonAndTheLimitCutsVisibly() {
    NodeObservation n = new NodeObservation("px-0", "10.11.19", "Synced", "Primary", "ON", "ON", 3, "u-1",
        Map.of("app.t", "42"), Map.of("app.t", 7L));
    String s = EventDetail.of(new PodVerified("px-0", List.of(n)), 0);
    assertThat(s).startsWith("pod=px-0 nodes=[{").contains("\"localStateComment\":\"Synced\"");
    String cut = EventDetail.of(new PodVerified("px-0", List.of(n)), 30);
    assertThat(cut).hasSize(30).endsWith("…");
  }
}
