package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchTombstonesTest {

  private final AtomicLong version = new AtomicLong(100);
  private final AtomicLong clock = new AtomicLong();
  private final WatchTombstones tombstones =
      new WatchTombstones(version::get, clock::get, Duration.ofMinutes(15), 3);
  private final KubernetesAttributesExtractor attributes = new KubernetesAttributesExtractor();

  @Test
  void keepsOnlyTheMetadataStampedWithTheVersionAtDeletion() {
    delete("orders-0", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"orders-0\","
        + "\"namespace\":\"db\",\"uid\":\"u1\",\"resourceVersion\":\"7\",\"labels\":{\"app\":\"x\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"big\"}]}}");

    WatchTombstones.Resume owed = tombstones.resume("50", pods("db"), key -> false);

    assertThat(owed.expired()).isFalse();
    assertThat(owed.deletedEvents()).containsExactly("{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"v1\","
        + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"orders-0\",\"namespace\":\"db\",\"uid\":\"u1\","
        + "\"labels\":{\"app\":\"x\"},\"resourceVersion\":\"100\"}}}");
  }

  @Test
  void aWatchWithNoVersionStartsFromNowAndIsOwedNothing() {
    delete("orders-0", pod("orders-0"));

    assertThat(tombstones.resume(null, pods("db"), key -> false)).isEqualTo(WatchTombstones.Resume.NOTHING);
    assertThat(tombstones.resume("", pods("db"), key -> false)).isEqualTo(WatchTombstones.Resume.NOTHING);
    assertThat(tombstones.resume("0", pods("db"), key -> false)).isEqualTo(WatchTombstones.Resume.NOTHING);
    assertThat(tombstones.resume("not-a-number", pods("db"), key -> false))
        .isEqualTo(WatchTombstones.Resume.NOTHING);
  }

  @Test
  void deletionsStampedBeforeTheResumedVersionAreNotSentAgain() {
    delete("orders-0", pod("orders-0"));
    version.set(200);
    delete("orders-1", pod("orders-1"));

    assertThat(tombstones.resume("150", pods("db"), key -> false).deletedEvents()).hasSize(1)
        .allSatisfy(e -> assertThat(e).contains("orders-1"));
    assertThat(tombstones.resume("100", pods("db"), key -> false).deletedEvents()).hasSize(2);
    assertThat(tombstones.resume("201", pods("db"), key -> false).deletedEvents()).isEmpty();
  }

  @Test
  void objectsThatExistAgainAndOtherNamespacesAreLeftOut() {
    delete("orders-0", pod("orders-0"));

    assertThat(tombstones.resume("1", pods("db"), key -> true).deletedEvents()).isEmpty();
    assertThat(tombstones.resume("1", pods("other"), key -> false).deletedEvents()).isEmpty();
  }

  @Test
  void aWatchResumedFromBeforeTheKeptWindowIsExpired() {
    delete("orders-0", pod("orders-0"));
    clock.addAndGet(Duration.ofMinutes(16).toNanos());
    version.set(300);
    delete("orders-1", pod("orders-1"));

    assertThat(tombstones.size()).isEqualTo(1);
    assertThat(tombstones.resume("100", pods("db"), key -> false)).isEqualTo(WatchTombstones.Resume.EXPIRED);
    assertThat(tombstones.resume("101", pods("db"), key -> false).deletedEvents()).hasSize(1);
  }

  @Test
  void keepsAtMostItsBound() {
    for (int i = 0; i < 5; i++) {
      version.incrementAndGet();
      delete("orders-" + i, pod("orders-" + i));
    }

    assertThat(tombstones.size()).isEqualTo(3);
    assertThat(tombstones.resume("102", pods("db"), key -> false).expired()).isTrue();
    assertThat(tombstones.resume("103", pods("db"), key -> false).deletedEvents()).hasSize(3);
  }

  private void delete(String name, String json) {
    tombstones.record(attributes.fromPath("/api/v1/namespaces/db/pods/" + name), json);
  }

  private AttributeSet pods(String namespace) {
    return attributes.fromPath("/api/v1/namespaces/" + namespace + "/pods?watch=true");
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"db\","
        + "\"uid\":\"" + name + "-uid\"}}";
  }
}
