package io.pxops.events.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The update status of one database: which request holds it, which wait, and how the last one that
 * ran ended. Computed from the lifecycle log by {@link DatabaseStatusFold}; immutable.
 *
 * @param database the database, {@code "namespace/name"}
 * @param currentVersion the version the database runs as far as the log knows: the preflight's
 *     reading, then the version recorded by the last {@code UpdateDatabase} step
 * @param lastSuccessfulVersion the version the last Successful request recorded, or {@code null}
 * @param activeRequest the request holding the database (Progressing), or {@code null}
 * @param activeCommandId the command the active request waits for (only results it caused count)
 * @param pendingRequests requests waiting behind the active one, oldest first
 * @param paused whether an update paused the database and has not resumed it yet
 * @param lastOutcome how the last request that ran ended (Successful or Failed), or {@code null};
 *     skipped and rejected requests never touched the database and do not count
 * @param updatedAt {@code occurredAt} of the last event that changed this status
 * @param lastEventId the id of the last event that changed this status
 * @param recentEventIds ids of the last {@value #RECENT_EVENT_IDS_LIMIT} events that changed this
 *     status, oldest first
 */
@JsonPropertyOrder({
  "database",
  "currentVersion",
  "lastSuccessfulVersion",
  "activeRequest",
  "activeCommandId",
  "pendingRequests",
  "paused",
  "lastOutcome",
  "updatedAt",
  "lastEventId",
  "recentEventIds"
})
public record DatabaseStatus(
    String database,
    String currentVersion,
    String lastSuccessfulVersion,
    String activeRequest,
    String activeCommandId,
    List<String> pendingRequests,
    boolean paused,
    RequestOutcome lastOutcome,
    Instant updatedAt,
    String lastEventId,
    List<String> recentEventIds) {

  /** How many recent event ids a status remembers to recognise a redelivered event. */
  public static final int RECENT_EVENT_IDS_LIMIT = 32;

  /** Requires the database; absent lists become empty; lists are copied. */
  public DatabaseStatus {
    if (database == null || database.indexOf('/') <= 0 || database.endsWith("/")) {
      throw new IllegalArgumentException(
          "database must be \"namespace/name\" but was " + database);
    }
    pendingRequests = pendingRequests == null ? List.of() : List.copyOf(pendingRequests);
    recentEventIds = recentEventIds == null ? List.of() : List.copyOf(recentEventIds);
  }

  /**
   * The status of a database nothing is known about yet.
   *
   * @param database {@code "namespace/name"}
   * @return the empty status
   */
  public static DatabaseStatus initial(String database) {
    return new DatabaseStatus(
        database, null, null, null, null, List.of(), false, null, null, null, List.of());
  }
}
