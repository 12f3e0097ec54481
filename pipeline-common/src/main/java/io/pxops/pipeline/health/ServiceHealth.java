package io.pxops.pipeline.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.JsonCodec;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a service's loops report to, and what its {@code /livez} and {@code /readyz} read. Every loop (a
 * poll loop, a Streams client, an informer, an HTTP server) is a named part: {@link #starting}, {@link #ready},
 * {@link #notReady} while it lives but cannot do its work, {@link #died} when it has ended for good. A death ends the
 * process through {@link FatalExit} (unless the service is already stopping), because a process whose loop is dead
 * but whose other threads still answer is a zombie: Kubernetes sees it alive and never restarts it.
 *
 * <ul>
 *   <li>live: no part has died (a dead part is about to end the process anyway);
 *   <li>ready: live, not stopping, every part ready, and Kafka answered within the last few seconds.
 * </ul>
 */
public final class ServiceHealth {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceHealth.class);

  /** One probe's answer: whether it passed, and a JSON body that says why. */
  public record Probe(boolean ok, String body) {
  }

  private record PartState(String state, String detail) {
  }

  private final String service;
  private final FatalExit exit;
  private final Supplier<String> kafkaProblem;
  private final Map<String, PartState> parts = new TreeMap<>();
  private boolean stopping;
  private String death;

  /**
   * @param service the service's name, for logs and probe bodies
   * @param exit what a dead loop does to the process
   * @param kafkaProblem why Kafka is unreachable, or null when it answers (see {@link KafkaReachability})
   */
  public ServiceHealth(String service, FatalExit exit, Supplier<String> kafkaProblem) {
    this.service = service;
    this.exit = exit;
    this.kafkaProblem = kafkaProblem;
  }

  /**
   * A registry that only logs a death, for parts run inside another program (tests, benchmarks, an embedding
   * process) where ending the JVM is not this code's call; Kafka is not checked.
   */
  public static ServiceHealth detached(String service) {
    return new ServiceHealth(service, (s, reason, cause) -> LOG.error("{}: {}", s, reason, cause), () -> null);
  }

  /**
   * The registry of a service process: a dead loop ends the process ({@link FatalExit#process()}), and readiness
   * asks {@code kafka} whether the cluster answers.
   */
  public static ServiceHealth forProcess(String service, KafkaReachability kafka) {
    return new ServiceHealth(service, FatalExit.process(), kafka::problem);
  }

  public String service() {
    return service;
  }

  /** A part exists and is not ready yet. */
  public synchronized void starting(String part) {
    parts.put(part, new PartState("STARTING", null));
  }

  /** A part is doing its work. */
  public synchronized void ready(String part) {
    PartState was = parts.put(part, new PartState("READY", null));
    if (was != null && !"READY".equals(was.state())) {
      LOG.info("{}: {} ready", service, part);
    }
  }

  /** A part lives but cannot do its work now (e.g. Streams rebalancing). */
  public synchronized void notReady(String part, String reason) {
    PartState was = parts.put(part, new PartState("NOT_READY", reason));
    if (was == null || !"NOT_READY".equals(was.state())) {
      LOG.info("{}: {} not ready: {}", service, part, reason);
    }
  }

  /**
   * A part has ended for good: unless the service is stopping, the process exits non-zero.
   *
   * @param part the part
   * @param reason what happened
   * @param cause the failure, if any
   */
  public void died(String part, String reason, Throwable cause) {
    synchronized (this) {
      parts.put(part, new PartState("DEAD", reason));
      if (stopping) {
        LOG.info("{}: {} ended while stopping: {}", service, part, reason);
        return;
      }
      if (death != null) {
        return; // the process is already on its way out
      }
      death = part + ": " + reason;
    }
    exit.exit(service, part + " died: " + reason, cause);
  }

  /** The service is shutting down: loops that end now end on purpose, and it is not ready any more. */
  public synchronized void stopping() {
    stopping = true;
  }

  /**
   * Wraps a loop's body so that its end is reported: an exception, or a return while the service is not stopping,
   * is a death.
   *
   * @param part the part's name
   * @param body the loop
   * @return the wrapped body, to run on the loop's thread
   */
  public Runnable guard(String part, Runnable body) {
    starting(part);
    return () -> {
      try {
        body.run();
        died(part, "its loop returned", null);
      } catch (Throwable t) {
        died(part, "its loop threw " + t, t);
        if (t instanceof Error e) {
          throw e;
        }
      }
    };
  }

  /** Liveness: false once a part has died. */
  public Probe live() {
    synchronized (this) {
      ObjectNode body = body(death == null ? "UP" : "DOWN");
      if (death != null) {
        body.put("reason", death);
      }
      return new Probe(death == null, body.toString());
    }
  }

  /** Readiness: every part ready, Kafka reachable, not stopping. */
  public Probe readiness() {
    String kafka = kafkaProblem.get(); // outside the lock: it may wait for the broker
    synchronized (this) {
      boolean partsReady = parts.values().stream().allMatch(p -> "READY".equals(p.state()));
      boolean ok = death == null && !stopping && partsReady && kafka == null;
      ObjectNode body = body(ok ? "READY" : "NOT_READY");
      body.put("kafka", kafka == null ? "reachable" : kafka);
      if (stopping) {
        body.put("reason", "stopping");
      }
      return new Probe(ok, body.toString());
    }
  }

  private ObjectNode body(String status) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("service", service);
    body.put("status", status);
    ObjectNode p = body.putObject("parts");
    parts.forEach((name, s) -> p.put(name, s.detail() == null ? s.state() : s.state() + ": " + s.detail()));
    return body;
  }
}
