package io.pxops.statusprojector.http;

import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
    return sorted(all).requests(q, namespace -> true);
  }

  /** The fleet: one row per database, sorted by name, filtered by namespace, current phase and version. */
  public static Page<FleetRow> fleet(List<RequestStatus> all, Query q) {
    return sorted(all).fleet(q, namespace -> true);
  }

  /**
   * Sorts a merged list once into both views' orders, so that the many pages read from it before it changes each
   * cost one pass of plain comparisons over records already in memory, with no sort and no deserializing.
   *
   * @param all the request summaries of every instance, each request once
   * @return both views, sorted
   */
  public static Sorted sorted(Collection<RequestStatus> all) {
    List<RequestStatus> newestFirst = new ArrayList<>(all);
    newestFirst.sort(NEWEST_FIRST);
    // newestFirst is grouped in its order, so each database's list is newest first too
    Map<String, List<RequestStatus>> byDatabase = new LinkedHashMap<>();
    for (RequestStatus s : newestFirst) {
      byDatabase.computeIfAbsent(s.database(), d -> new ArrayList<>()).add(s);
    }
    List<FleetRow> rows = new ArrayList<>(byDatabase.size());
    byDatabase.forEach((database, requests) -> rows.add(row(database, requests)));
    rows.sort(Comparator.comparing(FleetRow::database));
    return new Sorted(newestFirst, rows);
  }

  /**
   * Every request newest change first, and every database's row by name: the two orders the dashboard pages in.
   *
   * @param newestFirst every request, newest change first
   * @param fleet one row per database, by name
   */
  public record Sorted(List<RequestStatus> newestFirst, List<FleetRow> fleet) {

    /** Copies the lists. */
    public Sorted {
      newestFirst = List.copyOf(newestFirst);
      fleet = List.copyOf(fleet);
    }

    /**
     * One page of requests.
     *
     * @param q the filters and page
     * @param visible the namespaces the caller may list
     * @return the page
     */
    public Page<RequestStatus> requests(Query q, Predicate<String> visible) {
      return page(newestFirst, q, s -> (q.namespace() == null || q.namespace().equals(s.namespace()))
          && (q.phase() == null || s.phase() != null && q.phase().equals(s.phase().kubeName()))
          && (q.version() == null || q.version().equals(s.targetVersion()))
          && visible.test(s.namespace()));
    }

    /**
     * One page of the fleet. A database's requests all live in its namespace (KubeDB's {@code databaseRef} is a
     * local reference), so a row is shown exactly when its database's namespace is.
     *
     * @param q the filters and page
     * @param visible the namespaces the caller may list
     * @return the page
     */
    public Page<FleetRow> fleet(Query q, Predicate<String> visible) {
      return page(fleet, q, row -> {
        String namespace = StatusQueries.namespaceOf(row.database());
        return (q.namespace() == null || q.namespace().equals(namespace))
            && (q.phase() == null || row.phase() != null && q.phase().equals(row.phase().kubeName()))
            && (q.version() == null || q.version().equals(row.version()))
            && visible.test(namespace);
      });
    }
  }

  // one pass: counts every match, keeps only the page's
  private static <T> Page<T> page(List<T> sorted, Query q, Predicate<T> matches) {
    long from = (long) q.page() * q.size();
    long to = from + q.size();
    List<T> items = new ArrayList<>(Math.min(q.size(), sorted.size()));
    int total = 0;
    for (T item : sorted) {
      if (matches.test(item)) {
        if (total >= from && total < to) {
          items.add(item);
        }
        total++;
      }
    }
    return new Page<>(items, total, q.page(), q.size());
  }

  private static FleetRow row(String database, List<RequestStatus> newestFirst) {
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
        newestFirst.size());
  }

  // newest change first; requests never changed (null updatedAt) last; the name breaks ties so pages are stable
  private static final Comparator<RequestStatus> NEWEST_FIRST = Comparator
      .comparing(RequestStatus::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(RequestStatus::opsRequest);

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
