package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.requestingest.admission.UpdateRequest;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The HTTP and Kafka doors create the ops request object that the Kubernetes door admits: the body's window must
 * survive that hop, in the object's annotation, or the update would run unwindowed.
 */
class WindowAnnotationTest {

  private static final String WINDOW =
      "{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\",\"start\":\"02:00\",\"end\":\"05:00\"}]}";

  private static UpdateRequest request(String window) {
    return new UpdateRequest("upd-1", "shop", "UpdateVersion", "orders", "8.4.3", "5m", null, null,
        Instant.parse("2026-11-23T10:00:00Z"), "http", "my-id", window);
  }

  @Test
  void givenARequestWithAWindow_whenCreatedAsAnObjectAndReadBack_thenTheWindowIsThere() {
    PerconaXtraDBOpsRequest object = OpsRequestSubmitter.toObject(request(WINDOW));

    assertThat(object.getMetadata().getAnnotations()).containsEntry(OpsRequestWatcher.WINDOW_ANNOTATION, WINDOW);
    assertThat(OpsRequestWatcher.toUpdateRequest(object).window()).isEqualTo(WINDOW);
  }

  @Test
  void givenARequestWithoutAWindow_whenCreatedAsAnObject_thenThereIsNoAnnotationAndNoWindow() {
    PerconaXtraDBOpsRequest object = OpsRequestSubmitter.toObject(request(null));

    assertThat(object.getMetadata().getAnnotations()).doesNotContainKey(OpsRequestWatcher.WINDOW_ANNOTATION);
    assertThat(OpsRequestWatcher.toUpdateRequest(object).window()).isNull();
  }
}
