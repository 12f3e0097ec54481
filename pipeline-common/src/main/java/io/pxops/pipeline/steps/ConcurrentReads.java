package io.pxops.pipeline.steps;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads a step's look makes side by side instead of one after the other. A look often needs several independent
 * objects (the pods, the PetSet, the ops request); each read is an API round trip, and on the update's critical
 * path (between a node's Synced and the next eviction) round trips in a row are most of a step's own time. Read
 * concurrently, a look costs its slowest read.
 *
 * <p>Only reads: every write stays on the caller's thread, in the order the safety rules give it. A read that fails
 * throws on {@link #join} exactly what it threw (a {@code KubernetesClientException}, a {@link FatalStepException}),
 * as if it had run on the caller's thread, so the service's error handling is unchanged.
 */
public final class ConcurrentReads {

  /**
   * Daemon threads, created as reads need them (at most one per read under way) and ended after a minute idle: a
   * look's reads never wait for each other's thread, and an idle service holds none.
   */
  private static final ExecutorService READERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), new java.util.concurrent.ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "step-read-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }
      });

  private ConcurrentReads() {
  }

  /** Starts {@code read} on a reader thread; {@link #join} it for its value. */
  public static <T> CompletableFuture<T> start(Supplier<T> read) {
    return CompletableFuture.supplyAsync(read, READERS);
  }

  /** The read's value, or what it threw, thrown here unchanged (an unchecked exception; an error as such). */
  public static <T> T join(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
