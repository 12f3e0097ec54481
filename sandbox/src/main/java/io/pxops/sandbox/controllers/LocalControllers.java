package io.pxops.sandbox.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.sandbox.runtime.PodRuntime;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers a real cluster would run behind the API, started together against a Kubernetes client: KubeDB's
 * provisioner for PerconaXtraDB ({@link PerconaXtraDbController}), the PetSet controller
 * ({@link PetSetController}) and the kubelet ({@link LocalKubelet}) driving a {@link PodRuntime}. They act only
 * through the API (informers, create, update with resourceVersion, JSON merge patches, status subresources), so
 * whatever the pipeline does to the cluster they see as a real cluster's controllers would.
 *
 * <p>{@link #close()} stops the controllers and informers, then closes the pod runtime (which stops every process
 * it started). The client stays open: it belongs to the caller.
 */
public final class LocalControllers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalControllers.class);

  /**
   * @param kubeletPollInterval how often the kubelet polls the runtime and refreshes pod status
   * @param resyncPeriod how often informers replay their caches to the controllers (a safety net; every change
   *     already triggers a reconcile)
   * @param syncTimeout how long to wait at start for the informers' first list
   */
  public record Settings(Duration kubeletPollInterval, Duration resyncPeriod, Duration syncTimeout) {

    public static Settings defaults() {
      return new Settings(Duration.ofMillis(200), Duration.ofMinutes(1), Duration.ofSeconds(30));
    }

    public Settings withKubeletPollInterval(Duration interval) {
      return new Settings(interval, resyncPeriod, syncTimeout);
    }
  }

  private final ClusterInformers informers;
  private final PerconaXtraDbController databases;
  private final PetSetController petSets;
  private final LocalKubelet kubelet;
  private final PodRuntime runtime;
  private final PodNetwork network;

  private LocalControllers(KubernetesClient client, PodRuntime runtime, Settings settings) {
    this.runtime = runtime;
    this.network = PodNetwork.forThisProcess();
    this.informers = new ClusterInformers(client, settings.resyncPeriod());
    this.databases = new PerconaXtraDbController(client, informers);
    this.petSets = new PetSetController(client, informers);
    this.kubelet = new LocalKubelet(client, informers, runtime, network, settings.kubeletPollInterval());
  }

  /** Starts the three controllers with default settings; returns once their informers have synced. */
  public static LocalControllers start(KubernetesClient client, PodRuntime runtime) {
    return start(client, runtime, Settings.defaults());
  }

  /** Starts the three controllers; returns once their informers have synced. */
  public static LocalControllers start(KubernetesClient client, PodRuntime runtime, Settings settings) {
    long t0 = System.nanoTime();
    LocalControllers controllers = new LocalControllers(client, runtime, settings);
    try {
      controllers.informers.start(settings.syncTimeout());
    } catch (RuntimeException e) {
      controllers.close();
      throw e;
    }
    LOG.info("local controllers started in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return controllers;
  }

  /** The pod address allocator the kubelet uses (to find a pod's address before its status shows it). */
  public PodNetwork podNetwork() {
    return network;
  }

  @Override
  public void close() {
    try {
      informers.close();
      databases.close();
      petSets.close();
      kubelet.close();
    } finally {
      runtime.close();
    }
  }
}
