package io.pxops.events.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the plan knows about one database. Immutable, and JSON-serializable with the shared
 * mapper, so the coordinator can keep it in a state store keyed by database.
 *
 * @param database the database reference {@code namespace/name}
 * @param active the request holding the database (Progressing), or {@code null}
 * @param pending requests waiting for the database (Pending), next first; by KubeDB's rule at most
 *     one
 * @param finished recent terminal requests by ops request reference, oldest first, at most {@link
 *     #FINISHED_LIMIT}; kept to ignore duplicates and to replay failures
 */
public record DatabaseState(
    String database,
    RequestProgress active,
    List<RequestProgress> pending,
    Map<String, RequestProgress> finished) {

  /** How many terminal requests a database remembers. */
  public static final int FINISHED_LIMIT = 50;

  /** Copies the collections, keeping their order. */
  public DatabaseState {
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("database is required");
    }
    pending = pending == null ? List.of() : List.copyOf(pending);
    finished =
        finished == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(finished));
  }

  /**
   * The state of a database no request has touched.
   *
   * @param database {@code namespace/name}
   * @return the empty state
   */
  public static DatabaseState empty(String database) {
    return new DatabaseState(database, null, List.of(), Map.of());
  }

  /**
   * Finds a request wherever it is: active, pending or finished.
   *
   * @param opsRequest {@code namespace/name}
   * @return its progress, or empty if this database does not know it
   */
  public Optional<RequestProgress> find(String opsRequest) {
    if (active != null && active.ref().equals(opsRequest)) {
      return Optional.of(active);
    }
    for (RequestProgress p : pending) {
      if (p.ref().equals(opsRequest)) {
        return Optional.of(p);
      }
    }
    return Optional.ofNullable(finished.get(opsRequest));
  }

  /**
   * When the plan next needs {@link UpdatePlan#onTick}: the active step's deadline, or the opening
   * of the window a request waits for. The coordinator ticks a database only at or after this.
   *
   * @return the instant, or {@code null} when no tick can change anything
   */
  public java.time.Instant wakeAt() {
    if (active != null) {
      return active.waitingForWindow() ? active.windowOpensAt() : active.stepDeadline();
    }
    return pending.isEmpty() ? null : pending.get(0).windowOpensAt();
  }

  DatabaseState withActive(RequestProgress value) {
    return new DatabaseState(database, value, pending, finished);
  }

  DatabaseState withPending(List<RequestProgress> value) {
    return new DatabaseState(database, active, value, finished);
  }

  /** Records a terminal request, forgetting the oldest ones beyond {@link #FINISHED_LIMIT}. */
  DatabaseState withFinished(RequestProgress done) {
    LinkedHashMap<String, RequestProgress> next = new LinkedHashMap<>(finished);
    next.remove(done.ref());
    next.put(done.ref(), done);
    Iterator<String> oldest = next.keySet().iterator();
    while (next.size() > FINISHED_LIMIT) {
      oldest.next();
      oldest.remove();
    }
    return new DatabaseState(database, active, pending, next);
  }

  DatabaseState withoutFinished(String opsRequest) {
    LinkedHashMap<String, RequestProgress> next = new LinkedHashMap<>(finished);
    next.remove(opsRequest);
    return new DatabaseState(database, active, pending, next);
  }

  DatabaseState withoutPending(String opsRequest) {
    List<RequestProgress> next = new ArrayList<>(pending);
    next.removeIf(p -> p.ref().equals(opsRequest));
    return new DatabaseState(database, active, next, finished);
  }
}
