package io.pxops.sandbox.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The informers the local controllers share (one watch per kind, across all namespaces): their caches are the
 * controllers' view of the cluster. Handlers are added before {@link #start}.
 */
final class ClusterInformers implements AutoCloseable {

  final SharedIndexInformer<PerconaXtraDB> databases;
  final SharedIndexInformer<PerconaXtraDBVersion> versions;
  final SharedIndexInformer<PetSet> petSets;
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<Service> services;

  /**
   * Pods by namespace/name of the PetSet that controls them, and by namespace/database instance label: the
   * controllers look up "the pods of X" on every change, and filtering the whole namespace each time made the
   * local world O(pods²) (with 1,000 databases in one namespace it took a fifth of the world's CPU).
   */
  static final String PODS_BY_PETSET = "petset";
  static final String PODS_BY_INSTANCE = "instance";

  ClusterInformers(KubernetesClient client, Duration resync) {
    long resyncMillis = resync.toMillis();
    databases = client.resources(PerconaXtraDB.class).inAnyNamespace().runnableInformer(resyncMillis);
    versions = client.resources(PerconaXtraDBVersion.class).runnableInformer(resyncMillis);
    petSets = client.resources(PetSet.class).inAnyNamespace().runnableInformer(resyncMillis);
    pods = client.pods().inAnyNamespace().runnableInformer(resyncMillis);
    pods.addIndexers(Map.of(
        PODS_BY_PETSET, pod -> {
          OwnerReference owner = controllerOf(pod, "PetSet");
          return owner == null ? List.of() : List.of(key(pod.getMetadata().getNamespace(), owner.getName()));
        },
        PODS_BY_INSTANCE, pod -> {
          Map<String, String> labels = pod.getMetadata().getLabels();
          String instance = labels == null ? null : labels.get(KubeDbNames.LABEL_INSTANCE);
          return instance == null ? List.of() : List.of(key(pod.getMetadata().getNamespace(), instance));
        }));
    services = client.services().inAnyNamespace()
        .withLabel(KubeDbNames.LABEL_MANAGED_BY, KubeDbNames.MANAGED_BY_KUBEDB).runnableInformer(resyncMillis);
  }

  /** Starts every informer and waits until each has listed its kind. */
  void start(Duration timeout) {
    List<SharedIndexInformer<?>> all = List.of(databases, versions, petSets, pods, services);
    CompletableFuture<?>[] synced = all.stream().map(i -> i.start().toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(synced).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the informers synced", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the informers did not sync within " + timeout, e);
    }
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> i : List.of(services, pods, petSets, versions, databases)) {
      i.stop();
    }
  }

  static String key(HasMetadata object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** Calls {@code onChange} for every add, update and delete. */
  static <T> ResourceEventHandler<T> onAnyChange(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.accept(obj);
      }
    };
  }

  /** The owner reference marked {@code controller: true} of {@code kind}, or null. */
  static OwnerReference controllerOf(HasMetadata object, String kind) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return null;
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController()) && kind.equals(r.getKind()))
        .findFirst().orElse(null);
  }

  /** An owner reference to {@code owner} with {@code controller: true}. */
  static OwnerReference ownerReference(HasMetadata owner) {
    OwnerReference ref = new OwnerReference();
    ref.setApiVersion(owner.getApiVersion());
    ref.setKind(owner.getKind());
    ref.setName(owner.getMetadata().getName());
    ref.setUid(owner.getMetadata().getUid());
    ref.setController(true);
    ref.setBlockOwnerDeletion(true);
    return ref;
  }

  /** Whether the pod's {@code Ready} condition is True. */
  static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }
}
