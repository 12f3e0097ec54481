package io.pxops.pipeline;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the client's JSON readers for the kinds a service reads, in the background, as soon as it starts.
 *
 * <p>Why: Jackson builds the reader of a type the first time it reads one, for the whole type graph at once; a Pod
 * (and a PetSet, whose template is a Pod) is hundreds of classes. Measured: the first PodList read took 0.25–0.5 s,
 * the next 0.3 ms — so the first update after a runner started spent most of its ~0.9 s Preflight there. An earlier
 * warm-up that only sent a request (answered 404, so nothing was read) did not help. Reading {@code {}} as each kind
 * resolves every property's reader, which is all the first real read was paying for. One request opens the HTTP
 * connection and loads the client's request path: in a recording of the first update the first real request still
 * waited 0.22–0.25 s for its answer, the next ones 10–20 ms. That request is {@code GET /version}, which every
 * cluster allows every authenticated caller: it used to be a GET of a namespace that does not exist, which a real
 * cluster refuses (403) to a service account without {@code get namespaces} — a permission no service needs (the
 * RBAC proof from the system tests' request log found it).
 */
public final class KubernetesWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWarmUp.class);

  private KubernetesWarmUp() {
  }

  /** Starts a daemon thread that builds the readers of {@code kinds}; returns it (tests join it). */
  public static Thread inBackground(KubernetesClient client, List<Class<?>> kinds) {
    Thread thread = new Thread(() -> {
      long start = System.nanoTime();
      try {
        client.getKubernetesVersion();
      } catch (RuntimeException e) {
        LOG.debug("Kubernetes did not answer the warm-up request", e);
      }
      for (Class<?> kind : kinds) {
        try {
          client.getKubernetesSerialization().unmarshal("{}", kind);
        } catch (RuntimeException e) {
          // only a head start: the first real read builds whatever this could not
          LOG.debug("could not build the reader of {} ahead of time", kind.getName(), e);
        }
      }
      LOG.info("built the Kubernetes readers of {} kinds in {} ms", kinds.size(), (System.nanoTime() - start) / 1_000_000);
    }, "kubernetes-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
