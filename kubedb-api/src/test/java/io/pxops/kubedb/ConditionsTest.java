package io.pxops.kubedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  @Test
  void setUpsertsByTypeAndKeepsTheTransitionTimeWhileTheStatusHolds() {
    Condition first = new Condition("Ready", "False", "ReadinessCheckFailed", "one down", 1L,
        "2026-07-01T10:00:00Z", null);
    List<Condition> list = Conditions.set(List.of(), first);

    List<Condition> same = Conditions.set(list, new Condition("Ready", "False", "ReadinessCheckFailed", "one down",
        1L, "2026-07-01T11:00:00Z", null));
    assertThat(same).containsExactly(first);

    List<Condition> newMessage = Conditions.set(list, Condition.isFalse("Ready", "ReadinessCheckFailed", "two down",
        1L));
    assertThat(newMessage).singleElement().satisfies(c -> {
      assertThat(c.getMessage()).isEqualTo("two down");
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-07-01T10:00:00Z");
    });

    List<Condition> flipped = Conditions.set(list, Condition.isTrue("Ready", "ReadinessCheckSucceeded", null, 1L));
    assertThat(flipped).singleElement().satisfies(c -> {
      assertThat(c.statusIsTrue()).isTrue();
      assertThat(c.getLastTransitionTime()).isNotEqualTo("2026-07-01T10:00:00Z");
    });
  }

  @Test
  void pauseAndResumeToggleThePausedConditionOnly() {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setStatus(new PerconaXtraDBStatus());
    db.getStatus().setConditions(List.of(Condition.isTrue(KubeDbConditions.READY, "ReadinessCheckSucceeded",
        null, 1L)));

    db.getStatus().setConditions(KubeDbConditions.pause(db.getStatus().getConditions(), "paused for update", 1L));
    assertThat(KubeDbConditions.isPaused(db)).isTrue();
    assertThat(db.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready", "Paused");

    db.getStatus().setConditions(KubeDbConditions.resume(db.getStatus().getConditions()));
    assertThat(KubeDbConditions.isPaused(db)).isFalse();
    assertThat(db.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready");
  }

  @Test
  void namesFollowKubeDbConventions() {
    assertThat(KubeDbNames.labels("orders-px")).containsExactly(
        java.util.Map.entry("app.kubernetes.io/name", "perconaxtradbs.kubedb.com"),
        java.util.Map.entry("app.kubernetes.io/instance", "orders-px"),
        java.util.Map.entry("app.kubernetes.io/managed-by", "kubedb.com"),
        java.util.Map.entry("app.kubernetes.io/component", "database"));
    assertThat(KubeDbNames.podName("orders-px", 2)).isEqualTo("orders-px-2");
    assertThat(KubeDbNames.ordinalOf("orders-px-2")).isEqualTo(2);
    assertThat(KubeDbNames.ordinalOf("orders-px")).isEqualTo(-1);
    assertThat(KubeDbNames.governingServiceName("orders-px")).isEqualTo("orders-px-pods");

    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("orders-px").build());
    db.setSpec(new PerconaXtraDBSpec());
    assertThat(KubeDbNames.authSecretName(db)).isEqualTo("orders-px-auth");
    db.getSpec().setAuthSecret(new SecretReference("custom-auth"));
    assertThat(KubeDbNames.authSecretName(db)).isEqualTo("custom-auth");
  }
}
