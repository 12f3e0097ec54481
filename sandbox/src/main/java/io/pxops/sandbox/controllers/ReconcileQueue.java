package io.pxops.sandbox.controllers;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's work queue: object keys ({@code namespace/name}) are reconciled one at a time on one thread, a key
 * queued twice before it runs is reconciled once, and a failed reconcile is retried (at once after a 409 conflict,
 * with a short back-off after anything else). Reconcilers are level-based: they read the current state and act.
 */
final class ReconcileQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);
  private static final Duration CONFLICT_RETRY = Duration.ofMillis(5);
  private static final Duration ERROR_RETRY = Duration.ofMillis(500);

  private final String name;
  private final Consumer<String> reconciler;
  private final ScheduledExecutorService executor;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  ReconcileQueue(String name, Consumer<String> reconciler) {
    this.name = name;
    this.reconciler = reconciler;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues {@code key} unless it is already waiting. */
  void enqueue(String key) {
    if (queued.add(key)) {
      submit(() -> run(key), Duration.ZERO);
    }
  }

  /** Queues {@code key} after {@code delay}. */
  void enqueueAfter(String key, Duration delay) {
    submit(() -> enqueue(key), delay);
  }

  private void run(String key) {
    queued.remove(key);
    try {
      reconciler.accept(key);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        LOG.debug("{}: conflict on {}, retrying", name, key);
        enqueueAfter(key, CONFLICT_RETRY);
      } else {
        LOG.warn("{}: reconciling {} failed (HTTP {}): {}", name, key, e.getCode(), e.getMessage());
        enqueueAfter(key, ERROR_RETRY);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: reconciling {} failed", name, key, e);
      enqueueAfter(key, ERROR_RETRY);
    }
  }

  private void submit(Runnable task, Duration delay) {
    try {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.debug("{}: closed, dropping work", name);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
