package io.pxops.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.kubedb.Conditions;
import io.pxops.kubedb.DatabasePhase;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.PetSetSpec;
import io.pxops.sandbox.kube.KubernetesApiExtension;
import io.pxops.sandbox.runtime.ServerImages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local controllers on the in-process API with simulated pods. Each test uses a namespace of its own; the API
 * and the controllers are shared by the class.
 */
@ExtendWith(KubernetesApiExtension.class)
class LocalControllersTest {

  private static final String OLD = "10.11.13";
  private static final String NEW = "10.11.14";
  private static LocalControllers controllers;

  @BeforeAll
  static void startControllers(KubernetesClient client) {
    LocalCatalog.seed(client, List.of(OLD, NEW));
    SimulatedPodRuntime runtime = new SimulatedPodRuntime(Duration.ofMillis(150), Set.of(OLD, NEW),
        Clock.systemUTC());
    controllers = LocalControllers.start(client, runtime,
        LocalControllers.Settings.defaults().withKubeletPollInterval(Duration.ofMillis(25)));
  }

  @AfterAll
  static void stopControllers() {
    if (controllers != null) {
      controllers.close();
    }
  }

  @Test
  void threeReplicaDatabaseGetsItsOffshootsAndPodsCreatedInOrder(KubernetesClient client) {
    String ns = "create";
    List<String> orderViolations = new CopyOnWriteArrayList<>();
    List<String> added = new CopyOnWriteArrayList<>();
    Map<String, Boolean> readyNow = new ConcurrentHashMap<>();
    try (Watch watch = client.pods().inNamespace(ns).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        String name = pod.getMetadata().getName();
        int ordinal = KubeDbNames.ordinalOf(name);
        if (action == Action.ADDED && !added.contains(name)) {
          added.add(name);
          for (int i = 0; i < ordinal; i++) {
            if (!readyNow.getOrDefault(KubeDbNames.podName("orders", i), false)) {
              orderViolations.add(name + " created before orders-" + i + " was Ready");
            }
          }
        }
        readyNow.put(name, action != Action.DELETED && ClusterInformers.isReady(pod));
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      create(client, ns, "orders", OLD);
      awaiting().until(() -> phaseOf(client, ns, "orders"), DatabasePhase.READY::equals);
    }

    assertThat(added).containsExactly("orders-0", "orders-1", "orders-2");
    assertThat(orderViolations).isEmpty();

    Secret auth = client.secrets().inNamespace(ns).withName("orders-auth").get();
    assertThat(decode(auth, "username")).isEqualTo("root");
    assertThat(decode(auth, "password")).hasSizeGreaterThanOrEqualTo(16);
    assertThat(auth.getMetadata().getLabels()).containsAllEntriesOf(KubeDbNames.labels("orders"));

    Service primary = client.services().inNamespace(ns).withName("orders").get();
    Service governing = client.services().inNamespace(ns).withName("orders-pods").get();
    assertThat(primary.getSpec().getSelector()).isEqualTo(KubeDbNames.selectorLabels("orders"));
    assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");

    PetSet ps = client.resources(PetSet.class).inNamespace(ns).withName("orders").get();
    assertThat(ps.getSpec().getUpdateStrategy().getType()).isEqualTo(PetSetSpec.ON_DELETE);
    assertThat(ps.getSpec().getPodManagementPolicy()).isEqualTo(PetSetSpec.ORDERED_READY);
    assertThat(ps.getSpec().getServiceName()).isEqualTo("orders-pods");
    assertThat(ps.getSpec().getTemplate().getSpec().getContainers()).singleElement().satisfies(c -> {
      assertThat(c.getName()).isEqualTo(KubeDbNames.CONTAINER);
      assertThat(c.getImage()).isEqualTo(ServerImages.imageFor(OLD));
    });
    assertThat(ps.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("PerconaXtraDB"));
    // KubeDB's budget for a 3-node cluster: one pod may be disrupted at a time
    io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget pdb = client
        .resources(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class).inNamespace(ns)
        .withName("orders").get();
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(KubeDbNames.selectorLabels("orders"));
    awaiting().until(() -> client.resources(PetSet.class).inNamespace(ns).withName("orders").get().getStatus(),
        s -> s != null && Integer.valueOf(3).equals(s.getReadyReplicas()));

    List<Pod> pods = client.pods().inNamespace(ns).withLabel(KubeDbNames.LABEL_INSTANCE, "orders").list().getItems();
    assertThat(pods).hasSize(3).allSatisfy(p -> {
      assertThat(ClusterInformers.isReady(p)).isTrue();
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      // a block of the pod network (where it starts depends on the process): 127.77.1.0 to 127.254.254.0
      assertThat(p.getStatus().getPodIP()).matches("127\\.(7[7-9]|[89]\\d|1\\d\\d|2[0-4]\\d|25[0-4])\\.\\d+\\.[1-3]");
      assertThat(p.getStatus().getContainerStatuses()).singleElement().satisfies(cs -> {
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getImage()).isEqualTo(ServerImages.imageFor(OLD));
        assertThat(cs.getState().getRunning()).isNotNull();
      });
      assertThat(p.getMetadata().getLabels()).containsKey(PetSet.REVISION_LABEL);
    });
    assertThat(pods.stream().map(p -> p.getStatus().getPodIP()).distinct()).hasSize(3);

    PerconaXtraDB db = client.resources(PerconaXtraDB.class).inNamespace(ns).withName("orders").get();
    for (String type : List.of(KubeDbConditions.PROVISIONING_STARTED, KubeDbConditions.REPLICA_READY,
        KubeDbConditions.ACCEPTING_CONNECTION, KubeDbConditions.READY, KubeDbConditions.PROVISIONED)) {
      assertThat(Conditions.isTrue(db.getStatus().getConditions(), type)).as(type).isTrue();
    }
    assertThat(db.getStatus().getObservedGeneration()).isEqualTo(db.getMetadata().getGeneration());
  }

  @Test
  void deletedPodComesBackFromTheCurrentTemplateWhileTheOthersKeepTheirs(KubernetesClient client) {
    String ns = "ondelete";
    create(client, ns, "carts", OLD);
    awaiting().until(() -> phaseOf(client, ns, "carts"), DatabasePhase.READY::equals);
    pause(client, ns, "carts");
    Map<String, String> before = revisions(client, ns);
    String oldRevision = before.get("carts-0");
    assertThat(new HashSet<>(before.values())).containsExactly(oldRevision);

    client.resources(PetSet.class).inNamespace(ns).withName("carts").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + ServerImages.imageFor(NEW) + "\"}]");
    awaiting().until(() -> client.resources(PetSet.class).inNamespace(ns).withName("carts").get().getStatus(),
        s -> s.getUpdateRevision() != null && !s.getUpdateRevision().equals(oldRevision));
    String oldUid = client.pods().inNamespace(ns).withName("carts-1").get().getMetadata().getUid();

    client.pods().inNamespace(ns).withName("carts-1").delete();

    awaiting().until(() -> client.pods().inNamespace(ns).withName("carts-1").get(),
        p -> p != null && !p.getMetadata().getUid().equals(oldUid) && ClusterInformers.isReady(p));
    Pod replaced = client.pods().inNamespace(ns).withName("carts-1").get();
    String newRevision = replaced.getMetadata().getLabels().get(PetSet.REVISION_LABEL);
    assertThat(newRevision).isNotEqualTo(oldRevision).startsWith("carts-");
    assertThat(replaced.getSpec().getContainers().get(0).getImage()).isEqualTo(ServerImages.imageFor(NEW));
    assertThat(replaced.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(ServerImages.imageFor(NEW));
    Map<String, String> after = revisions(client, ns);
    assertThat(after).containsEntry("carts-0", oldRevision).containsEntry("carts-1", newRevision)
        .containsEntry("carts-2", oldRevision);
    assertThat(client.pods().inNamespace(ns).withName("carts-0").get().getSpec().getContainers().get(0).getImage())
        .isEqualTo(ServerImages.imageFor(OLD));

    awaiting().until(() -> client.resources(PetSet.class).inNamespace(ns).withName("carts").get().getStatus(),
        s -> Integer.valueOf(1).equals(s.getUpdatedReplicas()) && Integer.valueOf(2).equals(s.getCurrentReplicas())
            && oldRevision.equals(s.getCurrentRevision()) && newRevision.equals(s.getUpdateRevision())
            && Integer.valueOf(3).equals(s.getReadyReplicas()));
  }

  @Test
  void pausedDatabaseIsLeftAloneUntilResumed(KubernetesClient client) {
    String ns = "paused";
    create(client, ns, "users", OLD);
    awaiting().until(() -> phaseOf(client, ns, "users"), DatabasePhase.READY::equals);
    pause(client, ns, "users");

    client.services().inNamespace(ns).withName("users").delete();
    client.resources(PetSet.class).inNamespace(ns).withName("users").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + ServerImages.imageFor(NEW) + "\"}]");
    await().pollInterval(Duration.ofMillis(25)).during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(15))
        .until(() -> client.services().inNamespace(ns).withName("users").get() == null
            && ServerImages.imageFor(NEW).equals(templateImage(client, ns, "users")));

    resume(client, ns, "users");

    awaiting().until(() -> client.services().inNamespace(ns).withName("users").get() != null);
    awaiting().until(() -> templateImage(client, ns, "users"), ServerImages.imageFor(OLD)::equals);
  }

  @Test
  void imageThatNamesNoBuildLeavesThePodInImagePullBackOffAndTheDatabaseCritical(KubernetesClient client) {
    String ns = "stuck";
    create(client, ns, "wallet", OLD);
    awaiting().until(() -> phaseOf(client, ns, "wallet"), DatabasePhase.READY::equals);
    pause(client, ns, "wallet");
    String missing = ServerImages.imageFor("10.11.99");
    client.resources(PetSet.class).inNamespace(ns).withName("wallet").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + missing + "\"}]");
    awaiting().until(() -> client.resources(PetSet.class).inNamespace(ns).withName("wallet").get().getStatus()
        .getUpdatedReplicas(), Integer.valueOf(0)::equals);

    client.pods().inNamespace(ns).withName("wallet-2").delete();

    awaiting().until(() -> client.pods().inNamespace(ns).withName("wallet-2").get(),
        p -> p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
            && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
            && "ImagePullBackOff".equals(p.getStatus().getContainerStatuses().get(0).getState().getWaiting()
                .getReason()));
    Pod stuck = client.pods().inNamespace(ns).withName("wallet-2").get();
    assertThat(stuck.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(ClusterInformers.isReady(stuck)).isFalse();
    assertThat(stuck.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(missing);
    awaiting().until(() -> phaseOf(client, ns, "wallet"), DatabasePhase.CRITICAL::equals);
    PerconaXtraDB db = client.resources(PerconaXtraDB.class).inNamespace(ns).withName("wallet").get();
    assertThat(KubeDbConditions.isPaused(db)).as("the controller keeps the Paused condition").isTrue();
    assertThat(Conditions.find(db.getStatus().getConditions(), KubeDbConditions.REPLICA_READY)).get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo(KubeDbConditions.REASON_SOME_REPLICAS_NOT_READY));
  }

  private static ConditionFactory awaiting() {
    return await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(15));
  }

  private static void create(KubernetesClient client, String ns, String name, String version) {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion(version);
    spec.setReplicas(3);
    spec.setStorageType("Durable");
    spec.setDeletionPolicy("Delete");
    db.setSpec(spec);
    client.resources(PerconaXtraDB.class).inNamespace(ns).resource(db).create();
  }

  private static String phaseOf(KubernetesClient client, String ns, String name) {
    PerconaXtraDB db = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(name).get();
    return db == null || db.getStatus() == null ? null : db.getStatus().getPhase();
  }

  private static String templateImage(KubernetesClient client, String ns, String name) {
    return client.resources(PetSet.class).inNamespace(ns).withName(name).get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage();
  }

  private static Map<String, String> revisions(KubernetesClient client, String ns) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
      out.put(p.getMetadata().getName(), p.getMetadata().getLabels().get(PetSet.REVISION_LABEL));
    }
    return out;
  }

  /** Sets Paused=True the way the pipeline does: a status patch guarded by the resourceVersion. */
  private static void pause(KubernetesClient client, String ns, String name) {
    DatabasePauses.pause(client, ns, name, "paused by a test");
    awaiting().until(() -> KubeDbConditions.isPaused(
        client.resources(PerconaXtraDB.class).inNamespace(ns).withName(name).get()));
  }

  private static void resume(KubernetesClient client, String ns, String name) {
    DatabasePauses.resume(client, ns, name);
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
