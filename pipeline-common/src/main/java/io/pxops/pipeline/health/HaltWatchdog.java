package io.pxops.pipeline.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The last resort of a stop: halts the JVM with {@code exitCode} if it is still running {@code after} from now,
 * saying why first. A stop that hangs (a client closing against a broker that is gone, a shutdown hook that waits on
 * a lock) must still end, or Kubernetes waits out its whole grace period and the pod looks alive meanwhile.
 */
public final class HaltWatchdog {

  private HaltWatchdog() {
  }

  /**
   * Arms the watchdog on a daemon scheduler of its own.
   *
   * @param name the thread's name
   * @param after how long the stop may take
   * @param exitCode the code to halt with
   * @param sayWhy logs why, just before the halt
   */
  public static void arm(String name, Duration after, int exitCode, Runnable sayWhy) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    scheduler.schedule(() -> {
      sayWhy.run();
      Runtime.getRuntime().halt(exitCode);
    }, after.toMillis(), TimeUnit.MILLISECONDS);
  }
}
