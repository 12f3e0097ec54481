package io.pxops.pipeline.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pods of every database and tells {@code onChange} the database ({@code namespace/name}, from a label)
 * of each pod that was added, changed or deleted; the services hand it to {@link CommandService#wake}, so a waiting
 * step looks again the moment its pod changes instead of at its next recheck.
 *
 * <p>A plain watch rather than an informer: nothing is cached (a fleet of 10,000 databases is 30,000 pods the
 * runners and the verifier would otherwise hold in memory), and a missed or repeated event costs nothing, because a
 * wake only brings forward a look that the recheck would take anyway. That is also why it may fail: when the watch
 * closes with an error (the API gone, 410 Gone past the resume window) it is opened again after
 * {@value #REWATCH_MILLIS} ms, for as long as the service runs, and meanwhile the steps poll as before.
 */
public final class PodChangeWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodChangeWatch.class);
  static final long REWATCH_MILLIS = 1_000;

  private final KubernetesClient client;
  private final Map<String, String> labels;
  private final String databaseLabel;
  private final Consumer<String> onChange;
  private final ScheduledExecutorService rewatch;
  private volatile boolean open = true;
  private volatile Watch watch;

  private PodChangeWatch(KubernetesClient client, Map<String, String> labels, String databaseLabel,
      Consumer<String> onChange) {
    this.client = client;
    this.labels = Map.copyOf(labels);
    this.databaseLabel = databaseLabel;
    this.onChange = onChange;
    this.rewatch = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pod-change-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts watching in the background (never blocks the caller, even with the API unreachable).
   *
   * @param labels the labels every watched pod carries (all namespaces)
   * @param databaseLabel the label whose value is the pod's database name
   * @param onChange called with {@code namespace/name} of the database, on the watch's thread: must not block
   */
  public static PodChangeWatch start(KubernetesClient client, Map<String, String> labels, String databaseLabel,
      Consumer<String> onChange) {
    PodChangeWatch w = new PodChangeWatch(client, labels, databaseLabel, onChange);
    w.later(Duration.ZERO);
    return w;
  }

  private void later(Duration delay) {
    try {
      rewatch.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: nothing to watch for any more
    }
  }

  private void open() {
    if (!open) {
      return;
    }
    try {
      watch = client.pods().inAnyNamespace().withLabels(labels).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          changed(pod);
        }

        @Override
        public void onClose(WatcherException cause) {
          if (open) {
            LOG.warn("the pod watch closed ({}); the steps poll until it is open again in {} ms", cause.toString(),
                REWATCH_MILLIS);
            later(Duration.ofMillis(REWATCH_MILLIS));
          }
        }
      });
      if (!open) {
        watch.close(); // closed while it was opening
      }
    } catch (RuntimeException e) {
      LOG.warn("the pod watch could not open ({}); the steps poll, trying again in {} ms", e.toString(),
          REWATCH_MILLIS);
      later(Duration.ofMillis(REWATCH_MILLIS));
    }
  }

  /** Runs on the watch's thread for any pod anyone labels so: nothing may escape from here. */
  void changed(Pod pod) {
    try {
      if (pod == null || pod.getMetadata() == null || pod.getMetadata().getLabels() == null) {
        return;
      }
      String db = pod.getMetadata().getLabels().get(databaseLabel);
      String ns = pod.getMetadata().getNamespace();
      if (db != null && ns != null) {
        onChange.accept(ns + "/" + db);
      }
    } catch (RuntimeException e) {
      LOG.warn("a pod change was not handed on: {}", e.toString());
    }
  }

  @Override
  public void close() {
    open = false;
    rewatch.shutdownNow();
    Watch w = watch;
    if (w != null) {
      try {
        w.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the pod watch: {}", e.toString());
      }
    }
  }
}
