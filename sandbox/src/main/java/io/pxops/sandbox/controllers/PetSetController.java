package io.pxops.sandbox.controllers;

import static io.pxops.sandbox.controllers.ClusterInformers.controllerOf;
import static io.pxops.sandbox.controllers.ClusterInformers.isReady;
import static io.pxops.sandbox.controllers.ClusterInformers.key;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.PetSetSpec;
import io.pxops.kubedb.StatusPatches;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local PetSet controller (what kubeops' PetSet operator does in a real cluster), for the subset KubeDB uses:
 * <ul>
 *   <li>one Pod {@code <set>-<i>} per replica, created from the PetSet's <em>current</em> template, with the
 *       template's labels plus {@value PetSet#REVISION_LABEL}{@code = <set>-<hash of the template>}, hostname
 *       {@code <set>-<i>}, subdomain {@code spec.serviceName}, and a controller owner reference;</li>
 *   <li>{@code OrderedReady} (the default): pod i+1 is created only when pods 0..i exist and are Ready, and on
 *       scale-down the highest ordinal goes first, one at a time; {@code Parallel}: all at once;</li>
 *   <li>update strategy: only {@code OnDelete} semantics — an existing pod is never changed or replaced; a deleted
 *       pod comes back from the current template (a {@code RollingUpdate} PetSet is treated the same way here);</li>
 *   <li>status as a StatefulSet's: replicas, readyReplicas, availableReplicas, currentReplicas, updatedReplicas,
 *       currentRevision (moves to updateRevision once every pod runs it), updateRevision, observedGeneration.</li>
 * </ul>
 * Not done: volume claims, PodDisruptionBudgets, placement policies, garbage collection of pods of a deleted PetSet.
 */
public final class PetSetController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PetSetController.class);

  private final KubernetesClient client;
  private final ClusterInformers informers;
  private final ReconcileQueue queue;

  PetSetController(KubernetesClient client, ClusterInformers informers) {
    this.client = client;
    this.informers = informers;
    this.queue = new ReconcileQueue("petset-controller", this::reconcile);
    informers.petSets.addEventHandler(ClusterInformers.onAnyChange(ps -> queue.enqueue(key(ps))));
    informers.pods.addEventHandler(ClusterInformers.onAnyChange(pod -> {
      OwnerReference owner = controllerOf(pod, "PetSet");
      if (owner != null) {
        queue.enqueue(key(pod.getMetadata().getNamespace(), owner.getName()));
      }
    }));
  }

  private void reconcile(String key) {
    PetSet ps = informers.petSets.getIndexer().getByKey(key);
    if (ps == null || ps.getSpec() == null || ps.getSpec().getTemplate() == null
        || ps.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String namespace = ps.getMetadata().getNamespace();
    String name = ps.getMetadata().getName();
    PetSetSpec spec = ps.getSpec();
    int replicas = spec.replicasOrDefault();
    String updateRevision = RevisionHash.revisionName(name, spec.getTemplate());
    boolean ordered = !PetSetSpec.PARALLEL.equals(spec.getPodManagementPolicy());

    TreeMap<Integer, Pod> pods = podsOf(ps);
    for (int i = 0; i < replicas; i++) {
      Pod pod = pods.get(i);
      if (pod == null) {
        create(ps, i, updateRevision);
        if (ordered) {
          break;
        }
      } else if (ordered && !isReady(pod)) {
        break;
      }
    }
    for (Integer ordinal : pods.descendingKeySet()) {
      if (ordinal < replicas) {
        break;
      }
      boolean othersReady = pods.headMap(ordinal).values().stream().allMatch(ClusterInformers::isReady);
      if (ordered && !othersReady) {
        break;
      }
      LOG.info("PetSet {}: scaling down, deleting pod {}", key, pods.get(ordinal).getMetadata().getName());
      client.pods().inNamespace(namespace).withName(pods.get(ordinal).getMetadata().getName()).delete();
      if (ordered) {
        break;
      }
    }
    writeStatus(ps, pods, replicas, updateRevision);
  }

  /** The pods this PetSet controls, by ordinal, from the cache. */
  private TreeMap<Integer, Pod> podsOf(PetSet ps) {
    TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    String name = ps.getMetadata().getName();
    for (Pod pod : informers.pods.getIndexer().byIndex(ClusterInformers.PODS_BY_PETSET,
        key(ps.getMetadata().getNamespace(), name))) {
      OwnerReference owner = controllerOf(pod, "PetSet");
      if (owner == null || !name.equals(owner.getName())
          || (owner.getUid() != null && !owner.getUid().equals(ps.getMetadata().getUid()))) {
        continue;
      }
      String podName = pod.getMetadata().getName();
      int ordinal = KubeDbNames.ordinalOf(podName);
      if (ordinal >= 0 && podName.equals(name + "-" + ordinal)) {
        byOrdinal.put(ordinal, pod);
      }
    }
    return byOrdinal;
  }

  private void create(PetSet ps, int ordinal, String revision) {
    String namespace = ps.getMetadata().getNamespace();
    String podName = ps.getMetadata().getName() + "-" + ordinal;
    PodTemplateSpec template = ps.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
    }
    labels.put(PetSet.REVISION_LABEL, revision);
    PodSpec spec = template.getSpec() == null ? new PodSpec()
        : client.getKubernetesSerialization().clone(template.getSpec());
    spec.setHostname(podName);
    spec.setSubdomain(ps.getSpec().getServiceName());
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .withOwnerReferences(ClusterInformers.ownerReference(ps))
        .endMetadata()
        .withSpec(spec)
        .build();
    try {
      client.pods().inNamespace(namespace).resource(pod).create();
      LOG.info("PetSet {}/{}: created pod {} at revision {}", namespace, ps.getMetadata().getName(), podName,
          revision);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // created already, the cache has not seen it yet: the pod's ADDED event will queue another pass
    }
  }

  private void writeStatus(PetSet cached, TreeMap<Integer, Pod> pods, int replicas, String updateRevision) {
    int ready = 0;
    int updated = 0;
    for (Pod pod : pods.values()) {
      ready += isReady(pod) ? 1 : 0;
      updated += updateRevision.equals(revisionOf(pod)) ? 1 : 0;
    }
    StatefulSetStatus old = cached.getStatus();
    String currentRevision = old == null || old.getCurrentRevision() == null ? updateRevision
        : old.getCurrentRevision();
    if (updated == replicas && pods.size() == replicas) {
      currentRevision = updateRevision;
    }
    int current = 0;
    for (Pod pod : pods.values()) {
      current += currentRevision.equals(revisionOf(pod)) ? 1 : 0;
    }
    StatefulSetStatus status = old == null ? new StatefulSetStatus()
        : client.getKubernetesSerialization().clone(old);
    status.setReplicas(pods.size());
    status.setReadyReplicas(ready);
    status.setAvailableReplicas(ready);
    status.setCurrentReplicas(current);
    status.setUpdatedReplicas(updated);
    status.setCurrentRevision(currentRevision);
    status.setUpdateRevision(updateRevision);
    status.setObservedGeneration(cached.getMetadata().getGeneration());
    if (old != null && sameStatus(old, status)) {
      return;
    }
    client.resources(PetSet.class).inNamespace(cached.getMetadata().getNamespace())
        .withName(cached.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON),
            StatusPatches.replaceStatus(cached.getMetadata().getResourceVersion(), status));
  }

  private static boolean sameStatus(StatefulSetStatus a, StatefulSetStatus b) {
    return Objects.equals(a.getReplicas(), b.getReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
        && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
        && Objects.equals(a.getCurrentReplicas(), b.getCurrentReplicas())
        && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
        && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
  }

  static String revisionOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(PetSet.REVISION_LABEL);
  }

  @Override
  public void close() {
    queue.close();
  }
}
