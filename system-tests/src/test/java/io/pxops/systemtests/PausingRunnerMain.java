package io.pxops.systemtests;

import io.pxops.steprunners.runners.StepRunnerMain;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step runners with a pause after each eviction, for the runner-kill test: the production service
 * ({@link StepRunnerMain#run}) with an eviction listener that waits {@code PAUSE_AFTER_EVICTION} (an ISO-8601
 * duration, default PT10M) between evicting a pod and reporting it, so that the test can kill the process inside
 * that window. A test main: it is never part of the production artifacts.
 */
public final class PausingRunnerMain {

  /** The environment variable naming the pause. */
  public static final String PAUSE_AFTER_EVICTION = "PAUSE_AFTER_EVICTION";

  private static final Logger LOG = LoggerFactory.getLogger(PausingRunnerMain.class);

  private PausingRunnerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Duration pause = Duration.parse(System.getenv().getOrDefault(PAUSE_AFTER_EVICTION, "PT10M"));
    StepRunnerMain.run(args, (command, pod) -> {
      LOG.warn("test runner: pausing {} after evicting {}", pause, pod);
      LockSupport.parkNanos(pause.toNanos());
    });
  }
}
