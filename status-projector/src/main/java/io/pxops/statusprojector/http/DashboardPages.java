package io.pxops.statusprojector.http;

import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's server-side pages, a pure function of the merged request list: the browser only ever receives one
 * page, so a fleet of 10,000 requests costs the page what 50 cost (the whole list is never sent to it).
 *
 * <p>The fleet is derived from the request statuses, because the projector's database store has no list query:
 * a database appears once it has had a request. Its version is the target of its newest {@code Successful}
 * request, else the version its newest started request found ({@code fromVersion}).
 */
public final class DashboardPages {

  /** The largest page a caller may ask for: bounds the body and the browser's DOM whatever the fleet's size. */
  public static final int MAX_PAGE_SIZE = 200;

  /** The page size when none is asked for. */
  public static final int DEFAULT_PAGE_SIZE = 50;

  private DashboardPages() {
  }

  /**
   * What the caller asked for; every field optional but the page.
   *
   * @param namespace only this namespace, or null
   * @param phase only this phase (KubeDB's spelling), or null
   * @param version only this version (fleet: the database's; requests: the target), or null
   * @param page zero-based page
   * @param size items per page, 1..{@value #MAX_PAGE_SIZE}
   */
  public record Query(String namespace, String phase, String version, int page, int size) {

    /** Checks the page and size; the message names the parameter and the rule. */
    public Query {
      if (page < 0) {
        throw new IllegalArgumentException("page must be 0 or more but was " + page);
      }
      if (size < 1 || size > MAX_PAGE_SIZE) {
        throw new IllegalArgumentException("size must be in 1.." + MAX_PAGE_SIZE + " but was " + size);
      }
      namespace = blankToNull(namespace);
      phase = blankToNull(phase);
      version = blankToNull(version);
    }

    int from() {
      return (int) Math.min(Integer.MAX_VALUE, (long) page * size);
    }
  }

  /**
   * One page of a filtered list.
   *
   * @param items at most {@code size} items
   * @param total how many items matched the filters, over every page
   * @param page the page
   * @param size the page size
   * @param <T> the item type
   */
  public record Page<T>(List<T> items, int total, int page, int size) {

    /** Copies the items. */
    public Page {
      items = List.copyOf(items);
    }
  }

  /**
   * One database of the fleet.
   *
   * @param database {@code namespace/name}
   * @param version its version as the requests tell it, or null when no request got far enough to say
   * @param currentRequest its newest request's {@code namespace/name}
   * @param phase that request's phase
   * @param updatedAt when that request last changed
   * @param requests how many requests the database has had
   */
  public record FleetRow(String database, String version, String currentRequest, OpsPhase phase,
      Instant updatedAt, int requests) {
  }

  /** Requests, newest change first (the ones a person is looking for), filtered by namespace, phase, target. */
  public static Page<RequestStatus> requests(List<RequestStatus> all, Query q) {
    List<RequestStatus> matching = new ArrayList<>();
    for (RequestStatus s : all) {
      if ((q.namespace() == null || q.namespace().equals(s.namespace()))
          && (q.phase() == null || s.phase() != null && q.phase().equals(s.phase().kubeName()))
          && (q.version() == null || q.version().equals(s.targetVersion()))) {
        matching.add(s);
      }
    }
    matching.sort(NEWEST_FIRST);
    return slice(matching, q);
  }

  /** The fleet: one row per database, sorted by name, filtered by namespace, current phase and version. */
  public static Page<FleetRow> fleet(List<RequestStatus> all, Query q) {
    Map<String, List<RequestStatus>> byDatabase = new LinkedHashMap<>();
    for (RequestStatus s : all) {
      byDatabase.computeIfAbsent(s.database(), d -> new ArrayList<>()).add(s);
    }
    List<FleetRow> rows = new ArrayList<>();
    for (Map.Entry<String, List<RequestStatus>> e : byDatabase.entrySet()) {
      FleetRow row = row(e.getKey(), e.getValue());
      if ((q.namespace() == null || e.getKey().startsWith(q.namespace() + "/"))
          && (q.phase() == null || row.phase() != null && q.phase().equals(row.phase().kubeName()))
          && (q.version() == null || q.version().equals(row.version()))) {
        rows.add(row);
      }
    }
    rows.sort(Comparator.comparing(FleetRow::database));
    return slice(rows, q);
  }

  private static FleetRow row(String database, List<RequestStatus> requests) {
    List<RequestStatus> newestFirst = new ArrayList<>(requests);
    newestFirst.sort(NEWEST_FIRST);
    RequestStatus current = newestFirst.get(0);
    String version = null;
    for (RequestStatus s : newestFirst) {
      if (s.phase() == OpsPhase.SUCCESSFUL && s.targetVersion() != null) {
        version = s.targetVersion();
        break;
      }
      if (s.fromVersion() != null) {
        version = s.fromVersion();
        break;
      }
    }
    return new FleetRow(database, version, current.opsRequest(), current.phase(), current.updatedAt(),
        requests.size());
  }

  private static <T> Page<T> slice(List<T> matching, Query q) {
    int from = Math.min(q.from(), matching.size());
    int to = Math.min(matching.size(), from + q.size());
    return new Page<>(matching.subList(from, to), matching.size(), q.page(), q.size());
  }

  // newest change first; requests never changed (null updatedAt) last; the name breaks ties so pages are stable
  private static final Comparator<RequestStatus> NEWEST_FIRST = Comparator
      .comparing(RequestStatus::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(RequestStatus::opsRequest);

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
