package io.pxops.pipeline;

import io.pxops.pipeline.health.HaltWatchdog;
import io.pxops.pipeline.health.ServiceHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service's {@code main} waits: until SIGTERM (or Ctrl-C), then closes its parts in the order given — the
 * Kafka loop before the clients it uses — so that a stop never cuts a step in half.
 *
 * <p>A stop ends within {@link #STOP_DEADLINE}: every part closes its Kafka clients with a bounded timeout, and as the
 * last resort a watchdog halts the JVM, saying so. Kubernetes sends SIGKILL 30 s after SIGTERM by default; a Kafka
 * client closing against a broker that is gone would otherwise retry until then, and a process that cannot be stopped
 * promptly holds up a rollout or a node drain.
 */
public final class UntilStopped {

  /** The longest a stop may take before the JVM is halted. */
  public static final Duration STOP_DEADLINE = Duration.ofSeconds(9);

  /** The exit code of a halted stop: 128 + SIGTERM, as if the signal had ended the process. */
  public static final int HALTED_EXIT_CODE = 143;

  private static final Logger LOG = LoggerFactory.getLogger(UntilStopped.class);

  private UntilStopped() {
  }

  /**
   * Blocks until the JVM is asked to stop, then closes {@code parts} in order.
   *
   * @param service the service's name, for the log and the hook thread
   * @param parts what to close, first to last
   */
  public static void await(String service, AutoCloseable... parts) throws InterruptedException {
    await(ServiceHealth.detached(service), parts);
  }

  /**
   * As {@link #await(String, AutoCloseable...)}, first telling {@code health} that the service is stopping (so
   * that loops ending now are not deaths, and /readyz fails at once).
   */
  public static void await(ServiceHealth health, AutoCloseable... parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(onStop(health, () -> {
      for (AutoCloseable part : List.of(parts)) {
        try {
          part.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.warn("{}: closing {} failed", health.service(), part, e);
        }
      }
      stopped.countDown();
    }));
    stopped.await();
  }

  /**
   * A shutdown hook that marks the service stopping, starts the {@link #STOP_DEADLINE} watchdog, then runs
   * {@code close}; for mains that close their parts themselves.
   */
  public static Thread onStop(ServiceHealth health, Runnable close) {
    String service = health.service();
    return new Thread(() -> {
      LOG.info("{} stopping", service);
      health.stopping();
      HaltWatchdog.arm(service + "-stop-watchdog", STOP_DEADLINE, HALTED_EXIT_CODE,
          () -> LOG.error("{} did not stop within {}; halting", service, STOP_DEADLINE));
      close.run();
      LOG.info("{} stopped", service);
    }, service + "-shutdown");
  }
}
