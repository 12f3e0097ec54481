package io.pxops.pipeline.health;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service ends when one of its loops has died: it logs why and exits non-zero, so that Kubernetes restarts it.
 * Seen before this existed: the ingest's Kafka door thread died and the process stayed up answering /healthz UP —
 * a zombie that nobody restarted and that took no more requests from Kafka.
 *
 * <p>The exit runs on a thread of its own (the dying thread may be a Kafka Streams thread, and a shutdown hook that
 * closes Streams from one of its own threads would wait for itself); the shutdown hooks close what they can, and if
 * they take longer than {@link #HALT_AFTER} the JVM is halted.
 */
@FunctionalInterface
public interface FatalExit {

  /** The exit code of a service whose loop died: EX_SOFTWARE, an internal error. */
  int EXIT_CODE = 70;

  /** How long the shutdown hooks get after a fatal exit before the JVM is halted. */
  Duration HALT_AFTER = Duration.ofSeconds(10);

  /**
   * Ends the process.
   *
   * @param service the service's name
   * @param reason why, one line
   * @param cause the failure, if any
   */
  void exit(String service, String reason, Throwable cause);

  /** The real exit: log, then {@link System#exit} with {@link #EXIT_CODE}, halting after {@link #HALT_AFTER}. */
  static FatalExit process() {
    return (service, reason, cause) -> {
      Logger log = LoggerFactory.getLogger(FatalExit.class);
      log.error("{} is exiting with code {}: {}", service, EXIT_CODE, reason, cause);
      HaltWatchdog.arm(service + "-halt", HALT_AFTER, EXIT_CODE,
          () -> log.error("{}: the shutdown hooks did not finish in {}; halting", service, HALT_AFTER));
      new Thread(() -> System.exit(EXIT_CODE), service + "-fatal-exit").start();
    };
  }
}
