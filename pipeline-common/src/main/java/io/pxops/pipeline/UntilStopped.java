package io.pxops.pipeline;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service's {@code main} waits: until SIGTERM (or Ctrl-C), then closes its parts in the order given — the
 * Kafka loop before the clients it uses — so that a stop never cuts a step in half.
 */
public final class UntilStopped {

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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("{} stopping", service);
      for (AutoCloseable part : List.of(parts)) {
        try {
          part.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.warn("{}: closing {} failed", service, part, e);
        }
      }
      stopped.countDown();
    }, service + "-shutdown"));
    stopped.await();
  }
}
