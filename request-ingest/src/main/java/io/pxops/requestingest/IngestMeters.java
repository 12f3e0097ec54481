package io.pxops.requestingest;

import io.pxops.events.RequestSpec;
import io.pxops.pipeline.metrics.PxopsMeters;
import java.util.List;

/**
 * The ingest's count of requests, {@code pxops_requests_total{door, outcome}}. A request is counted where something
 * is decided about it, so one request may be counted twice with two different outcomes — at its door
 * ({@code created}, {@code duplicate}, {@code name-taken}, {@code refused}, {@code dead-lettered}) and at admission
 * ({@code admitted}, {@code rejected}, which every door's request goes through) — never twice with the same one,
 * except that an object the watcher lists again after a restart is admitted again (at least once, like the log).
 */
public final class IngestMeters {

  private IngestMeters() {
  }

  /** The outcomes, as tag values. */
  static final List<String> OUTCOMES = List.of("created", "duplicate", "name-taken", "refused", "dead-lettered",
      "admitted", "rejected");

  /** Exports every door's counters at 0 (see {@link PxopsMeters#initializeRequests}). */
  public static void initialize() {
    PxopsMeters.initializeRequests(List.of(RequestSpec.DOOR_HTTP, RequestSpec.DOOR_KAFKA,
        RequestSpec.DOOR_KUBERNETES), OUTCOMES);
  }

  /** The door as a tag: one of the three, whatever an object's annotation says ({@code other} if none). */
  static String door(String door) {
    if (RequestSpec.DOOR_HTTP.equals(door) || RequestSpec.DOOR_KAFKA.equals(door)
        || RequestSpec.DOOR_KUBERNETES.equals(door)) {
      return door;
    }
    return "other";
  }

  /** Counts what the HTTP or Kafka door did with a submitted request. */
  static OpsRequestSubmitter.Outcome submitted(String door, OpsRequestSubmitter.Outcome outcome) {
    String what;
    if (outcome instanceof OpsRequestSubmitter.Outcome.Created) {
      what = "created";
    } else if (outcome instanceof OpsRequestSubmitter.Outcome.AlreadySubmitted) {
      what = "duplicate";
    } else if (outcome instanceof OpsRequestSubmitter.Outcome.NameTaken) {
      what = "name-taken";
    } else {
      what = "refused";
    }
    PxopsMeters.request(door(door), what);
    return outcome;
  }

  /** Counts an admission decision (every door's request, once an object exists). */
  public static void admission(String door, boolean admitted) {
    PxopsMeters.request(door(door), admitted ? "admitted" : "rejected");
  }

  /** Counts a record of {@code pxops.requests} set aside on the DLQ. */
  static void deadLettered() {
    PxopsMeters.request(RequestSpec.DOOR_KAFKA, "dead-lettered");
  }
}
