package io.pxops.pipeline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pxops.events.OpsPhase;
import io.pxops.events.Step;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * pxops' own meters, all named {@code pxops_*}, documented one by one in {@code docs/metrics.md}. Every tag value
 * comes from a closed set (a door, an outcome, a step, a phase, a problem or reason constant of the code); never an
 * ops request, database, pod name or a message, so that a fleet of databases does not become a fleet of series.
 *
 * <p>The meter names are Micrometer's dotted names; the Prometheus registry turns {@code pxops.step.duration} into
 * {@code pxops_step_duration_seconds} (with {@code _bucket}, {@code _count}, {@code _sum}, {@code _max}) and
 * {@code pxops.requests} into {@code pxops_requests_total}.
 */
public final class PxopsMeters {

  /** Requests at a door of the ingest, by {@code door} and {@code outcome}. */
  public static final String REQUESTS = "pxops.requests";
  /** One attempt-to-answer of a command by the service that runs its step, by {@code step} and {@code outcome}. */
  public static final String STEP_DURATION = "pxops.step.duration";
  /** A step attempt tried again after a retriable error, by {@code step} and {@code reason}. */
  public static final String STEP_RETRIES = "pxops.step.retries";
  /** Records set aside on {@code pxops.dlq}, by {@code service} and {@code problem}. */
  public static final String DEAD_LETTERS = "pxops.dead.letters";
  /** The verifier's verdicts, by {@code check}, {@code verdict} and {@code reason}. */
  public static final String VERDICTS = "pxops.verifier.verdicts";
  /** The coordinator's hand-over: a result on the lifecycle log to the next command written, by {@code step}. */
  public static final String HANDOVER = "pxops.coordinator.handover";
  /** Ops requests entering a phase, by {@code phase}. */
  public static final String UPDATES = "pxops.updates";

  /** The doors of the ingest. */
  public static final String DOOR_HTTP = "http";
  /** The Kafka door ({@code pxops.requests}). */
  public static final String DOOR_KAFKA = "kafka";
  /** The Kubernetes door (a {@code PerconaXtraDBOpsRequest} object). */
  public static final String DOOR_KUBERNETES = "kubernetes";

  /** Tag values longer than this are cut: a guard, should a code constant ever grow into a sentence. */
  private static final int MAX_TAG_CHARS = 64;

  private PxopsMeters() {
  }

  private static MeterRegistry registry() {
    return ServiceMetrics.registry();
  }

  /**
   * Counts a request at a door.
   *
   * @param door {@link #DOOR_HTTP}, {@link #DOOR_KAFKA} or {@link #DOOR_KUBERNETES}
   * @param outcome admitted, rejected, dead-lettered, duplicate, ...: a constant of the door, never a message
   */
  public static void request(String door, String outcome) {
    Counter.builder(REQUESTS).description("requests at a door of the ingest, by door and outcome")
        .tag("door", tag(door)).tag("outcome", tag(outcome)).register(registry()).increment();
  }

  /**
   * Records one step's run in the service that runs it: from the command taken to its result handed to the
   * producer, every attempt and wait in between included.
   *
   * @param step the step's enum name
   * @param outcome {@code done} (the step's own result, success or a domain failure) or {@code failed}
   */
  public static void stepDuration(String step, String outcome, Duration took) {
    stepTimer(step, outcome).record(took.isNegative() ? Duration.ZERO : took);
  }

  /** The step timer; registered with its histogram buckets so that Prometheus can take any quantile. */
  public static Timer stepTimer(String step, String outcome) {
    return Timer.builder(STEP_DURATION).description("a step's run, command taken to result sent, by step and outcome")
        .tag("step", tag(step)).tag("outcome", tag(outcome))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
        .register(registry());
  }

  /**
   * Counts an attempt tried again.
   *
   * @param step the step's enum name
   * @param reason the error class ({@code RETRIABLE}); never the message
   */
  public static void stepRetry(String step, String reason) {
    Counter.builder(STEP_RETRIES).description("step attempts tried again after a retriable error")
        .tag("step", tag(step)).tag("reason", tag(reason)).register(registry()).increment();
  }

  /**
   * Counts a dead letter.
   *
   * @param service the group or application id that set it aside
   * @param problem its CamelCase problem class
   */
  public static void deadLetter(String service, String problem) {
    Counter.builder(DEAD_LETTERS).description("records set aside on pxops.dlq, by service and problem")
        .tag("service", tag(service)).tag("problem", tag(problem)).register(registry()).increment();
  }

  /**
   * Counts a verifier verdict.
   *
   * @param check {@code pod} or {@code cluster}
   * @param verdict {@code healthy}, {@code waiting} or {@code failed}
   * @param reason {@code healthy}, or the waiting or failure reason constant; never the message
   */
  public static void verdict(String check, String verdict, String reason) {
    Counter.builder(VERDICTS).description("the verifier's verdicts, by check, verdict and reason")
        .tag("check", tag(check)).tag("verdict", tag(verdict)).tag("reason", tag(reason))
        .register(registry()).increment();
  }

  /** The coordinator's hand-over timer, by the step of the command it wrote. */
  public static Timer handover(String step) {
    return Timer.builder(HANDOVER)
        .description("a result on the lifecycle log to the next command written by the coordinator, by step")
        .tag("step", tag(step))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry());
  }

  /**
   * Counts an ops request entering a phase.
   *
   * @param phase the phase, as Kubernetes spells it (Pending, Progressing, Successful, Failed, Skipped)
   */
  public static void update(String phase) {
    Counter.builder(UPDATES).description("ops requests entering a phase, by phase")
        .tag("phase", tag(phase)).register(registry()).increment();
  }

  // ---- zero-valued series at start-up ------------------------------------------------------------------------
  // Prometheus' own advice: a counter whose label set is known in advance is exported at 0 from the start, so that
  // rate() and increase() answer 0 rather than "no data", and an alert on "dead letters > 0" sees the first one
  // (a series born at 1 has no increase to see). Only closed sets are initialized; histograms are not (a histogram
  // is ~70 series per label set), they appear with their first observation.

  /** Exports the dead-letter counters of {@code service} at 0, one per problem it can set aside. */
  public static void initializeDeadLetters(String service, Collection<String> problems) {
    for (String problem : problems) {
      Counter.builder(DEAD_LETTERS).description("records set aside on pxops.dlq, by service and problem")
          .tag("service", tag(service)).tag("problem", tag(problem)).register(registry());
    }
  }

  /** Exports the retry counters of every step at 0 (a service that runs steps). */
  public static void initializeRetries() {
    for (Step step : Step.values()) {
      Counter.builder(STEP_RETRIES).description("step attempts tried again after a retriable error")
          .tag("step", step.name()).tag("reason", "RETRIABLE").register(registry());
    }
  }

  /** Exports the request counters of every door and outcome at 0 (the ingest). */
  public static void initializeRequests(Collection<String> doors, Collection<String> outcomes) {
    for (String door : doors) {
      for (String outcome : outcomes) {
        Counter.builder(REQUESTS).description("requests at a door of the ingest, by door and outcome")
            .tag("door", tag(door)).tag("outcome", tag(outcome)).register(registry());
      }
    }
  }

  /** Exports the verdict counters of these checks, verdict and reasons at 0 (the verifier). */
  public static void initializeVerdicts(Collection<String> checks, String verdict, Collection<String> reasons) {
    for (String check : checks) {
      for (String reason : reasons) {
        Counter.builder(VERDICTS).description("the verifier's verdicts, by check, verdict and reason")
            .tag("check", tag(check)).tag("verdict", tag(verdict)).tag("reason", tag(reason)).register(registry());
      }
    }
  }

  /** Exports the phase counters of every phase at 0 (the status projector). */
  public static void initializeUpdates() {
    for (OpsPhase phase : OpsPhase.values()) {
      Counter.builder(UPDATES).description("ops requests entering a phase, by phase")
          .tag("phase", phase.kubeName()).register(registry());
    }
  }

  /** A tag value: never null, never empty, bounded in length. */
  static String tag(String value) {
    if (value == null || value.isBlank()) {
      return "none";
    }
    String v = value.strip();
    return v.length() > MAX_TAG_CHARS ? v.substring(0, MAX_TAG_CHARS) : v;
  }

  /** A lower-case tag value of an enum constant ({@code VERIFY_POD} stays as is: steps are matched by name). */
  public static String lower(Enum<?> e) {
    return e == null ? "none" : e.name().toLowerCase(Locale.ROOT);
  }
}
