package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A watch resumed from an older resourceVersion hears of the deletions it missed, as from a real API's watch cache.
 * fabric8's informers resume their watch this way every 5 to 10 minutes; without it the local PetSet controller kept
 * pods deleted during the gap in its cache and never re-created them (55 stuck updates in a 10,000-database run).
 */
@ExtendWith(KubernetesApiExtension.class)
class WatchResumeTest {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @Test
  void listsCarryTheVersionTheyWereReadAt(KubernetesClient client) {
    String ns = namespace();
    create(client, ns, "a");
    String listed = client.pods().inNamespace(ns).list().getMetadata().getResourceVersion();
    Pod b = create(client, ns, "b");

    assertThat(Long.parseLong(listed)).isPositive()
        .isLessThan(Long.parseLong(b.getMetadata().getResourceVersion()));
  }

  @Test
  void aWatchResumedBeforeADeletionIsToldOfItFirst(KubernetesClient client) {
    String ns = namespace();
    Pod gone = create(client, ns, "gone");
    Pod kept = create(client, ns, "kept");
    String seen = client.pods().inNamespace(ns).list().getMetadata().getResourceVersion();
    client.pods().inNamespace(ns).withName("gone").delete();

    List<String> events = watchFrom(client, ns, seen, 2);

    assertThat(events).containsExactly(describe("DELETED", gone), describe("ADDED", kept));
  }

  @Test
  void aWatchResumedAfterTheDeletionIsNotToldAgain(KubernetesClient client) {
    String ns = namespace();
    create(client, ns, "gone");
    client.pods().inNamespace(ns).withName("gone").delete();
    Pod later = create(client, ns, "later");

    List<String> events = watchFrom(client, ns, later.getMetadata().getResourceVersion(), 1);

    assertThat(events).containsExactly(describe("ADDED", later));
  }

  @Test
  void anObjectDeletedAndCreatedAgainIsReplayedAsItIsNow(KubernetesClient client) {
    String ns = namespace();
    create(client, ns, "again");
    String seen = client.pods().inNamespace(ns).list().getMetadata().getResourceVersion();
    client.pods().inNamespace(ns).withName("again").delete();
    Pod now = create(client, ns, "again");

    List<String> events = watchFrom(client, ns, seen, 1);

    // no DELETED first: a watcher told so would stop and restart whatever runs the pod
    assertThat(events).containsExactly(describe("ADDED", now));
  }

  @Test
  void aWatchOfAnotherNamespaceIsNotToldOfTheDeletion(KubernetesClient client) {
    String ns = namespace();
    String other = namespace();
    create(client, ns, "gone");
    Pod elsewhere = create(client, other, "elsewhere");
    String seen = client.pods().inNamespace(ns).list().getMetadata().getResourceVersion();
    client.pods().inNamespace(ns).withName("gone").delete();

    assertThat(watchFrom(client, other, seen, 1)).containsExactly(describe("ADDED", elsewhere));
  }

  private static List<String> watchFrom(KubernetesClient client, String ns, String resourceVersion, int expected) {
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicReference<WatcherException> closed = new AtomicReference<>();
    try (Watch watch = client.pods().inNamespace(ns).watch(
        new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), new Watcher<Pod>() {
          @Override
          public void eventReceived(Action action, Pod pod) {
            events.add(describe(action.name(), pod));
          }

          @Override
          public void onClose(WatcherException cause) {
            closed.set(cause);
          }
        })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= expected);
      // the replay is over once every existing object has been sent; give a stray extra event a moment to show
      await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
    }
    assertThat(closed.get()).isNull();
    return List.copyOf(events);
  }

  private static String describe(String action, Pod pod) {
    return action + " " + pod.getMetadata().getName() + " " + pod.getMetadata().getUid();
  }

  private static Pod create(KubernetesClient client, String ns, String name) {
    return client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
  }

  private static String namespace() {
    return "watch-resume-" + NAMESPACES.incrementAndGet();
  }
}
