package io.pxops.benchmarks;

import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestSpec;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Synthetic but valid lifecycle histories for the dashboard benchmark: what the coordinator would have written for
 * {@code n} requests, so that a projector's stores fill in seconds instead of running {@code n} updates. Request
 * {@code i} is {@code dash-<i / 10 % 10>/upd-<i>} on database {@code db-<i / 2>} of that namespace (two requests
 * a database, as after a second round of updates), admitted and started; then, by {@code i % 10}: 0 fails at
 * {@code VerifyPod}, 1 and 2 stay Progressing, 3 stays Pending (admitted, never started), the rest succeed. Each
 * request's events are a second apart in {@code occurredAt}, so the newest-first order is one a person would see.
 */
final class DashboardHistories {

  /** How many namespaces the requests are spread over (a filter by one namespace keeps a tenth). */
  static final int NAMESPACES = 10;

  static final String TARGET_VERSION = "8.4.3";
  private static final Instant START = Instant.parse("2026-07-02T08:00:00Z");

  private DashboardHistories() {
  }

  /**
   * The namespace of request {@code i}: ten requests in a row share one, so that each namespace holds every phase
   * (a namespace chosen by {@code i % 10} would hold one phase only) and both requests of a database are in it.
   */
  static String namespace(int i) {
    return "dash-" + (i / 10 % NAMESPACES);
  }

  /** The database of request {@code i}, {@code namespace/name}. */
  static String database(int i) {
    return namespace(i) + "/db-" + (i / 2);
  }

  /** The ops request {@code i}, {@code namespace/name}. */
  static String opsRequest(int i) {
    return namespace(i) + "/upd-" + i;
  }

  /**
   * The events of request {@code i}, in order; the Kafka key of each is its {@link Envelope#database()}.
   *
   * @param i the request's number
   * @return its events
   */
  static List<Envelope> history(int i) {
    List<Envelope> events = new ArrayList<>();
    Instant at = START.plusSeconds(i);
    events.add(admitted(namespace(i), "upd-" + i, "db-" + (i / 2), at));
    if (i % 10 == 3) {
      return events;
    }
    events.add(envelope(i, at.plusMillis(100), new RequestStarted(1)));
    switch (i % 10) {
      case 0 -> events.add(envelope(i, at.plusMillis(900), new RequestFailed(Step.VERIFY_POD, "db-" + (i / 2) + "-1",
          "GaleraNotSynced", "pod db-" + (i / 2) + "-1 did not rejoin the cluster within its deadline")));
      case 1, 2 -> {
        // still running
      }
      default -> events.add(envelope(i, at.plusMillis(900), new RequestSucceeded()));
    }
    return events;
  }

  /**
   * A request's admission: the event that makes its status appear (what the latency part times).
   *
   * @param namespace its namespace
   * @param name its name
   * @param database its database's name, in the same namespace
   * @param at when
   * @return the event
   */
  static Envelope admitted(String namespace, String name, String database, Instant at) {
    RequestSpec spec = new RequestSpec(name, namespace, database, TARGET_VERSION, Duration.ofMinutes(30), null, 0, at,
        RequestSpec.DOOR_KAFKA, null);
    return Envelope.of(UUID.randomUUID().toString(), spec.ref(), namespace + "/" + database, at, null,
        new RequestAdmitted(spec));
  }

  private static Envelope envelope(int i, Instant at, Event event) {
    return Envelope.of(UUID.randomUUID().toString(), opsRequest(i), database(i), at, null, event);
  }
}
