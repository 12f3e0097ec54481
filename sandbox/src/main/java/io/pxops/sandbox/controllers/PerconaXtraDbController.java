package io.pxops.sandbox.controllers;

import static io.pxops.sandbox.controllers.ClusterInformers.isReady;
import static io.pxops.sandbox.controllers.ClusterInformers.key;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.Conditions;
import io.pxops.kubedb.DatabasePhase;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBStatus;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.PetSetSpec;
import io.pxops.kubedb.StatusPatches;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for KubeDB's community (provisioner) operator, for PerconaXtraDB.
 *
 * <p>For each database that is not paused it makes sure that these exist, with KubeDB's labels and a controller
 * owner reference to the database:
 * <ul>
 *   <li>the auth Secret ({@code spec.authSecret.name}, default {@code <db>-auth}; type basic-auth, username
 *       {@code root}, a random password), created once and never rewritten;</li>
 *   <li>the primary Service {@code <db>} and the headless governing Service {@code <db>-pods}, re-created if
 *       deleted;</li>
 *   <li>the PetSet {@code <db>}: OnDelete, OrderedReady, {@code spec.replicas} pods, container
 *       {@code perconaxtradb} running {@code spec.db.image} of the catalog entry named by {@code spec.version},
 *       with {@code MYSQL_ROOT_PASSWORD} from the auth Secret. On an existing PetSet it reconciles the replica count
 *       and that container's image, as KubeDB does; nothing else in the template is touched.</li>
 *   <li>the PodDisruptionBudget {@code <db>}, as KubeDB's: {@code maxUnavailable} 1 for 3 replicas (see
 *       {@link #ensureDisruptionBudget}).</li>
 * </ul>
 *
 * <p><b>Paused</b> (condition {@code Paused=True}): the Secret, Services and PetSet are left alone entirely — that
 * is what lets the ops pipeline change the PetSet's images without being reverted. The status, however, still
 * follows the pods, as KubeDB's does: its phase derivation ignores {@code Paused}, so while an update restarts pods
 * the phase moves to {@code Critical} and back to {@code Ready}. Only {@code status.observedGeneration} stays put
 * while paused, since the spec is not being reconciled.
 *
 * <p>Phase: all {@code spec.replicas} pods Ready -> {@code Ready} (and {@code Provisioned=True} from then on);
 * before that first time -> {@code Provisioning}; afterwards none Ready -> {@code NotReady}, some -> {@code Critical}.
 * Conditions {@code ProvisioningStarted}, {@code ReplicaReady}, {@code AcceptingConnection}, {@code Ready},
 * {@code Provisioned} are kept with KubeDB's reasons; conditions written by others (such as {@code Paused}) are
 * preserved: the status is written as a JSON patch guarded by the {@code resourceVersion} it was computed from
 * ({@link StatusPatches}), so a concurrent writer causes a 409 and a retry, never a lost condition.
 *
 * <p>Not done: {@code spec.halted}, deletion policies, garbage collection, TLS, monitoring, system-user secrets.
 */
public final class PerconaXtraDbController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PerconaXtraDbController.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final KubernetesClient client;
  private final ClusterInformers informers;
  private final ReconcileQueue queue;
  /** The replica count each database's PodDisruptionBudget was last written for. */
  private final Map<String, Integer> budgetsWritten = new ConcurrentHashMap<>();

  PerconaXtraDbController(KubernetesClient client, ClusterInformers informers) {
    this.client = client;
    this.informers = informers;
    this.queue = new ReconcileQueue("perconaxtradb-controller", this::reconcile);
    informers.databases.addEventHandler(ClusterInformers.onAnyChange(db -> queue.enqueue(key(db))));
    informers.petSets.addEventHandler(ClusterInformers.onAnyChange(ps -> enqueueOwner(ps.getMetadata())));
    informers.pods.addEventHandler(ClusterInformers.onAnyChange(pod -> enqueueOwner(pod.getMetadata())));
    informers.services.addEventHandler(ClusterInformers.onAnyChange(svc -> enqueueOwner(svc.getMetadata())));
    informers.versions.addEventHandler(ClusterInformers.onAnyChange(v -> {
      for (PerconaXtraDB db : informers.databases.getStore().list()) {
        if (db.getSpec() != null && v.getMetadata().getName().equals(db.getSpec().getVersion())) {
          queue.enqueue(key(db));
        }
      }
    }));
  }

  private void enqueueOwner(ObjectMeta meta) {
    Map<String, String> labels = meta.getLabels();
    if (labels != null && KubeDbNames.NAME_PERCONAXTRADBS.equals(labels.get(KubeDbNames.LABEL_NAME))
        && labels.get(KubeDbNames.LABEL_INSTANCE) != null) {
      queue.enqueue(key(meta.getNamespace(), labels.get(KubeDbNames.LABEL_INSTANCE)));
    }
  }

  private void reconcile(String key) {
    PerconaXtraDB db = informers.databases.getIndexer().getByKey(key);
    if (db == null || db.getSpec() == null || db.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    if (!KubeDbConditions.isPaused(db)) {
      ensureAuthSecret(db);
      ensureServices(db);
      ensurePetSet(db);
      ensureDisruptionBudget(db);
    }
    writeStatus(key);
  }

  private void ensureAuthSecret(PerconaXtraDB db) {
    String namespace = db.getMetadata().getNamespace();
    String name = KubeDbNames.authSecretName(db);
    if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
      return;
    }
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(KubeDbNames.labels(db.getMetadata().getName()))
        .withOwnerReferences(ClusterInformers.ownerReference(db))
        .endMetadata()
        .withType("kubernetes.io/basic-auth")
        .addToData(KubeDbNames.SECRET_USERNAME_KEY, base64(KubeDbNames.ROOT_USER))
        .addToData(KubeDbNames.SECRET_PASSWORD_KEY, base64(randomPassword()))
        .build();
    createIgnoringConflict(() -> client.secrets().inNamespace(namespace).resource(secret).create());
    LOG.info("PerconaXtraDB {}/{}: created auth secret {}", namespace, db.getMetadata().getName(), name);
  }

  private void ensureServices(PerconaXtraDB db) {
    String namespace = db.getMetadata().getNamespace();
    String name = db.getMetadata().getName();
    String primary = KubeDbNames.primaryServiceName(name);
    if (informers.services.getIndexer().getByKey(key(namespace, primary)) == null
        && client.services().inNamespace(namespace).withName(primary).get() == null) {
      Service svc = new ServiceBuilder()
          .withNewMetadata().withName(primary).withNamespace(namespace).withLabels(KubeDbNames.labels(name))
          .withOwnerReferences(ClusterInformers.ownerReference(db)).endMetadata()
          .withNewSpec().withType("ClusterIP").withSelector(KubeDbNames.selectorLabels(name))
          .addNewPort().withName("primary").withPort(KubeDbNames.MYSQL_PORT).withNewTargetPort("db").endPort()
          .endSpec().build();
      createIgnoringConflict(() -> client.services().inNamespace(namespace).resource(svc).create());
      LOG.info("PerconaXtraDB {}/{}: created service {}", namespace, name, primary);
    }
    String governing = KubeDbNames.governingServiceName(name);
    if (informers.services.getIndexer().getByKey(key(namespace, governing)) == null
        && client.services().inNamespace(namespace).withName(governing).get() == null) {
      Service svc = new ServiceBuilder()
          .withNewMetadata().withName(governing).withNamespace(namespace).withLabels(KubeDbNames.labels(name))
          .withOwnerReferences(ClusterInformers.ownerReference(db)).endMetadata()
          .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
          .withSelector(KubeDbNames.selectorLabels(name))
          .addNewPort().withName("db").withPort(KubeDbNames.MYSQL_PORT).endPort()
          .endSpec().build();
      createIgnoringConflict(() -> client.services().inNamespace(namespace).resource(svc).create());
      LOG.info("PerconaXtraDB {}/{}: created service {}", namespace, name, governing);
    }
  }

  private void ensurePetSet(PerconaXtraDB db) {
    String namespace = db.getMetadata().getNamespace();
    String name = db.getMetadata().getName();
    PerconaXtraDBVersion version = informers.versions.getIndexer().getByKey(db.getSpec().getVersion());
    if (version == null || version.getSpec() == null || version.getSpec().getDb() == null
        || version.getSpec().getDb().getImage() == null) {
      LOG.warn("PerconaXtraDB {}/{}: no catalog entry PerconaXtraDBVersion/{} with a db image; PetSet not reconciled",
          namespace, name, db.getSpec().getVersion());
      return;
    }
    String image = version.getSpec().getDb().getImage();
    int replicas = db.getSpec().replicasOrDefault();
    PetSet existing = informers.petSets.getIndexer().getByKey(key(namespace, KubeDbNames.petSetName(name)));
    if (existing == null) {
      existing = client.resources(PetSet.class).inNamespace(namespace).withName(KubeDbNames.petSetName(name)).get();
    }
    if (existing == null) {
      PetSet ps = newPetSet(db, image, replicas);
      createIgnoringConflict(() -> client.resources(PetSet.class).inNamespace(namespace).resource(ps).create());
      LOG.info("PerconaXtraDB {}/{}: created PetSet with {} replicas of {}", namespace, name, replicas, image);
      return;
    }
    PetSet desired = client.getKubernetesSerialization().clone(existing);
    boolean changed = false;
    if (!Objects.equals(desired.getSpec().getReplicas(), replicas)) {
      desired.getSpec().setReplicas(replicas);
      changed = true;
    }
    if (desired.getSpec().getTemplate() != null && desired.getSpec().getTemplate().getSpec() != null) {
      for (var container : desired.getSpec().getTemplate().getSpec().getContainers()) {
        if (KubeDbNames.CONTAINER.equals(container.getName()) && !image.equals(container.getImage())) {
          container.setImage(image);
          changed = true;
        }
      }
    }
    if (changed) {
      desired.setStatus(null);
      client.resources(PetSet.class).inNamespace(namespace).resource(desired).update();
      LOG.info("PerconaXtraDB {}/{}: PetSet set to {} replicas of {}", namespace, name, replicas, image);
    }
  }

  /**
   * KubeDB's PodDisruptionBudget for the database's pods (its {@code SyncStatefulSetPodDisruptionBudget}): named
   * like the PetSet, selecting the PetSet's pods, {@code maxUnavailable = max(1, floor((replicas - 1) / 2))} (1 for
   * 3 replicas: a Galera majority stays up), and none for a single replica. So every eviction of an update here
   * runs under a real budget, as it does in a KubeDB cluster. Written when the replica count it was made for
   * changes (remembered here, so a reconcile per pod change costs no API call).
   */
  private void ensureDisruptionBudget(PerconaXtraDB db) {
    String namespace = db.getMetadata().getNamespace();
    String name = KubeDbNames.petSetName(db.getMetadata().getName());
    int replicas = db.getSpec().replicasOrDefault();
    String key = key(namespace, name);
    if (Objects.equals(budgetsWritten.get(key), replicas)) {
      return;
    }
    var budgets = client.resources(PodDisruptionBudget.class).inNamespace(namespace);
    if (replicas <= 1) {
      budgets.withName(name).delete();
    } else {
      int maxUnavailable = Math.max(1, (replicas - 1) / 2);
      budgets.resource(new PodDisruptionBudgetBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).withLabels(KubeDbNames.labels(db.getMetadata()
              .getName())).withOwnerReferences(ClusterInformers.ownerReference(db)).endMetadata()
          .withNewSpec().withMaxUnavailable(new IntOrString(maxUnavailable))
          .withNewSelector().withMatchLabels(KubeDbNames.selectorLabels(db.getMetadata().getName())).endSelector()
          .endSpec().build()).createOr(existing -> existing.update());
    }
    budgetsWritten.put(key, replicas);
  }

  private PetSet newPetSet(PerconaXtraDB db, String image, int replicas) {
    String name = db.getMetadata().getName();
    List<ContainerPort> ports = List.of(
        new ContainerPortBuilder().withName("db").withContainerPort(KubeDbNames.MYSQL_PORT).build(),
        new ContainerPortBuilder().withName("cluster").withContainerPort(4567).build(),
        new ContainerPortBuilder().withName("ist").withContainerPort(4568).build(),
        new ContainerPortBuilder().withName("sst").withContainerPort(4444).build());
    PetSet ps = new PetSet();
    ps.setMetadata(new ObjectMetaBuilder()
        .withName(KubeDbNames.petSetName(name)).withNamespace(db.getMetadata().getNamespace())
        .withLabels(KubeDbNames.labels(name))
        .withOwnerReferences(ClusterInformers.ownerReference(db)).build());
    PetSetSpec spec = new PetSetSpec();
    spec.setReplicas(replicas);
    spec.setServiceName(KubeDbNames.governingServiceName(name));
    spec.setPodManagementPolicy(PetSetSpec.ORDERED_READY);
    spec.setUpdateStrategy(new StatefulSetUpdateStrategyBuilder().withType(PetSetSpec.ON_DELETE).build());
    spec.setSelector(new LabelSelectorBuilder()
        .withMatchLabels(KubeDbNames.selectorLabels(name)).build());
    spec.setTemplate(new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(KubeDbNames.labels(name)).endMetadata()
        .withNewSpec()
        .withContainers(new ContainerBuilder()
            .withName(KubeDbNames.CONTAINER)
            .withImage(image)
            .withPorts(ports)
            .addNewEnv().withName("MYSQL_ROOT_USERNAME").withNewValueFrom().withNewSecretKeyRef()
            .withName(KubeDbNames.authSecretName(db)).withKey(KubeDbNames.SECRET_USERNAME_KEY).endSecretKeyRef()
            .endValueFrom().endEnv()
            .addNewEnv().withName("MYSQL_ROOT_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName(KubeDbNames.authSecretName(db)).withKey(KubeDbNames.SECRET_PASSWORD_KEY).endSecretKeyRef()
            .endValueFrom().endEnv()
            .build())
        .endSpec()
        .build());
    ps.setSpec(spec);
    return ps;
  }

  /** Recomputes phase and conditions from the pods and writes them if they changed. */
  private void writeStatus(String key) {
    String[] nsName = key.split("/", 2);
    PerconaXtraDB db = client.resources(PerconaXtraDB.class).inNamespace(nsName[0]).withName(nsName[1]).get();
    if (db == null) {
      return;
    }
    String name = db.getMetadata().getName();
    int replicas = db.getSpec().replicasOrDefault();
    int ready = 0;
    for (Pod pod : informers.pods.getIndexer().byIndex(ClusterInformers.PODS_BY_INSTANCE,
        key(db.getMetadata().getNamespace(), name))) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      int ordinal = KubeDbNames.ordinalOf(pod.getMetadata().getName());
      if (labels != null && name.equals(labels.get(KubeDbNames.LABEL_INSTANCE))
          && KubeDbNames.NAME_PERCONAXTRADBS.equals(labels.get(KubeDbNames.LABEL_NAME))
          && ordinal >= 0 && ordinal < replicas && isReady(pod)) {
        ready++;
      }
    }
    PerconaXtraDBStatus old = db.getStatus() == null ? new PerconaXtraDBStatus() : db.getStatus();
    Long generation = db.getMetadata().getGeneration();
    boolean paused = KubeDbConditions.isPaused(db);
    boolean allReady = ready >= replicas;
    List<Condition> conditions = old.getConditions() == null ? new ArrayList<>() : old.getConditions();
    conditions = Conditions.set(conditions, Condition.isTrue(KubeDbConditions.PROVISIONING_STARTED,
        KubeDbConditions.REASON_PROVISIONING_STARTED,
        "The KubeDB operator has started the provisioning of PerconaXtraDB: " + key, generation));
    String readyMessage = ready + " of " + replicas + " replicas are ready";
    conditions = Conditions.set(conditions, allReady
        ? Condition.isTrue(KubeDbConditions.REPLICA_READY, KubeDbConditions.REASON_ALL_REPLICAS_READY,
            "All desired replicas are ready.", generation)
        : Condition.isFalse(KubeDbConditions.REPLICA_READY, KubeDbConditions.REASON_SOME_REPLICAS_NOT_READY,
            readyMessage, generation));
    conditions = Conditions.set(conditions, ready > 0
        ? Condition.isTrue(KubeDbConditions.ACCEPTING_CONNECTION, KubeDbConditions.REASON_ACCEPTING_CONNECTION,
            "database " + key + " is accepting connection requests", generation)
        : Condition.isFalse(KubeDbConditions.ACCEPTING_CONNECTION,
            KubeDbConditions.REASON_NOT_ACCEPTING_CONNECTION,
            "database " + key + " is not accepting connection requests", generation));
    conditions = Conditions.set(conditions, allReady
        ? Condition.isTrue(KubeDbConditions.READY, KubeDbConditions.REASON_READINESS_CHECK_SUCCEEDED,
            "database " + key + " passed the readiness check", generation)
        : Condition.isFalse(KubeDbConditions.READY, KubeDbConditions.REASON_READINESS_CHECK_FAILED,
            readyMessage, generation));
    if (allReady) {
      conditions = Conditions.set(conditions, Condition.isTrue(KubeDbConditions.PROVISIONED,
          KubeDbConditions.REASON_PROVISIONED, "The PerconaXtraDB: " + key + " is successfully provisioned.",
          generation));
    }
    boolean provisioned = Conditions.isTrue(conditions, KubeDbConditions.PROVISIONED);
    String phase = allReady ? DatabasePhase.READY
        : !provisioned ? DatabasePhase.PROVISIONING
        : ready == 0 ? DatabasePhase.NOT_READY
        : DatabasePhase.CRITICAL;
    Long observedGeneration = paused ? old.getObservedGeneration() : generation;
    if (phase.equals(old.getPhase()) && Objects.equals(observedGeneration, old.getObservedGeneration())
        && conditions.equals(old.getConditions())) {
      return;
    }
    PerconaXtraDBStatus status = client.getKubernetesSerialization().clone(old);
    status.setPhase(phase);
    status.setObservedGeneration(observedGeneration);
    status.setConditions(conditions);
    client.resources(PerconaXtraDB.class).inNamespace(nsName[0]).withName(nsName[1]).subresource("status")
        .patch(PatchContext.of(PatchType.JSON),
            StatusPatches.replaceStatus(db.getMetadata().getResourceVersion(), status));
    if (!phase.equals(old.getPhase())) {
      LOG.info("PerconaXtraDB {}: phase {} -> {} ({})", key, old.getPhase(), phase, readyMessage);
    }
  }

  private static void createIgnoringConflict(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static String randomPassword() {
    StringBuilder sb = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      sb.append(PASSWORD_CHARS.charAt(RANDOM.nextInt(PASSWORD_CHARS.length())));
    }
    return sb.toString();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    queue.close();
  }
}
