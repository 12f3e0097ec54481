package io.pxops.statusprojector.http;

import io.pxops.events.status.RequestStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The merged, sorted request list the dashboard's pages are cut from, built once and shared by every page call, so
 * that a page costs one pass over records in memory instead of a scan of every instance's store, a merge and two
 * sorts (0.2-1.5 s a page with 10,000 requests before, 1.6-1.8 s with the fleet benchmark's fuller statuses, and a
 * browser refresh makes several).
 *
 * <p><b>Why a shared snapshot rather than a projection kept in page order.</b> A projection written by the fold would
 * live on the partition's owner, while a page needs every partition in one order (and the fleet view groups requests
 * that hash to different partitions by database): it would still be merged on every call. The snapshot reuses the
 * list queries that already answer for every instance (rebalances refused with 503, peers asked with the caller's
 * token) and adds no state to the topology.
 *
 * <p><b>How it follows changes.</b> {@link #changed} is called with every status the projector commits on {@code
 * pxops.status} (every instance reads all of it, so it hears of a change on any instance). The next page call folds
 * the changes heard since into the snapshot and sorts it again in memory (milliseconds), rather than reading every
 * store again (a third of a second with 10,000 requests): the same change reaches the browsers' SSE streams at the
 * same moment, so a page the browser loads because of an event already shows it. A change never replaces a newer
 * summary (by {@code updatedAt}): the scan can read a store ahead of the feed. The snapshot is read from the stores
 * again once it is {@code maxAge} old, so that whatever the feed could not tell (a request removed, records the feed
 * skipped) lasts no longer. Concurrent calls wait for one rebuild instead of each doing its own.
 *
 * <p><b>Whose it is.</b> When this instance serves every partition the snapshot holds every namespace and is shared
 * by every caller (the caller's namespaces are filtered per page). When other instances were asked, their parts hold
 * only the asking caller's namespaces, so the snapshot is reused only for the same {@code Authorization} header.
 *
 * <p><b>Memory.</b> One snapshot is kept: each request's summary once, in two orders that share the records, and one
 * row per database. Measured (the dashboard benchmark, heap in use after a GC): 47-52 MiB with 10,000 requests
 * (four runs) against 43-49 MiB without the snapshot (two), so under 1 KiB a request: under 10 MiB at 10,000, up to
 * about 90 MiB at 100,000 on the default 160 MiB heap (raise {@code -Xmx} for such a fleet). A page call before held as
 * much while it ran, plus its JSON copy, once per concurrent call; now it is held once and shared. Until a page is
 * asked for, nothing is held, and changes noted between pages are at most one summary a request.
 */
public final class DashboardSnapshots {

  /**
   * A snapshot is read from the stores again after this long, whatever the status feed says: a safety net, since the
   * feed tells every change. Each read costs one page about a third of a second with 10,000 requests; read every
   * 10 s, it was the p99 of the page after a change in the dashboard benchmark (0.6 s, the median 22 ms).
   */
  public static final Duration MAX_AGE = Duration.ofSeconds(60);

  private final Function<String, StatusQueries.Merged> source;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  /** Summaries heard from the feed and not yet folded into the snapshot, by ops request: the newest of each. */
  private final Map<String, RequestStatus> heard = new ConcurrentHashMap<>();
  /**
   * Whether there is a snapshot to fold changes into (or one being read): until a page is asked for, nothing is
   * noted, so a projector whose dashboard nobody opens keeps no copy of the summaries.
   */
  private volatile boolean following;
  /** Guarded by {@code this}. */
  private Entry current;
  private final AtomicLong builds = new AtomicLong();

  private record Entry(long builtAt, boolean shared, String authorization, Map<String, RequestStatus> byRequest,
      DashboardPages.Sorted sorted) {
  }

  /**
   * What a page is cut from, or why there is nothing to cut it from.
   *
   * @param refusal the answer to give instead (503 while rebalancing, a peer's refusal), or null
   * @param sorted the merged list in both orders, or null with a refusal
   */
  public record Snapshot(Answer refusal, DashboardPages.Sorted sorted) {
  }

  /**
   * Snapshots of the merged summaries the queries give.
   *
   * @param queries the status queries
   */
  public DashboardSnapshots(StatusQueries queries) {
    this(queries::summaries, System::nanoTime, MAX_AGE);
  }

  /**
   * Snapshots of what {@code source} gives, aged by {@code nanoTime}.
   *
   * @param source the merged summaries on behalf of an {@code Authorization} header (or null)
   * @param nanoTime a monotonic clock in nanoseconds
   * @param maxAge the age after which a snapshot is read from the source again
   */
  DashboardSnapshots(Function<String, StatusQueries.Merged> source, LongSupplier nanoTime, Duration maxAge) {
    this.source = source;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /**
   * A request's status changed. Called on the status feed's thread, so it only notes the summary.
   *
   * @param status the new status
   */
  public void changed(RequestStatus status) {
    if (following) {
      heard.merge(status.opsRequest(), status.summary(), DashboardSnapshots::newer);
    }
  }

  /**
   * The current snapshot for a caller: the changes heard since folded in, or read again from the source when it is
   * too old or another caller's.
   *
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the snapshot, or the refusal to answer
   */
  public synchronized Snapshot get(String authorization) {
    long now = nanoTime.getAsLong();
    Entry e = current;
    if (e == null || now - e.builtAt() >= maxAgeNanos
        || !(e.shared() || Objects.equals(e.authorization(), authorization))) {
      current = null; // the old one is garbage while the new one is built, not both held at once
      // what is heard from now on is folded in after the read: the read may or may not have seen it
      following = true;
      heard.clear();
      StatusQueries.Merged merged = source.apply(authorization);
      if (merged.refusal() != null) {
        following = false;
        heard.clear();
        return new Snapshot(merged.refusal(), null);
      }
      builds.incrementAndGet();
      Map<String, RequestStatus> byRequest = new HashMap<>();
      merged.items().forEach(s -> byRequest.put(s.opsRequest(), s));
      e = new Entry(now, !merged.askedPeers(), authorization, byRequest, null);
    }
    if (e.sorted() == null || !heard.isEmpty()) {
      for (String key : heard.keySet()) {
        RequestStatus change = heard.remove(key);
        if (change != null) {
          e.byRequest().merge(key, change, DashboardSnapshots::newer);
        }
      }
      e = new Entry(e.builtAt(), e.shared(), e.authorization(), e.byRequest(),
          DashboardPages.sorted(e.byRequest().values()));
    }
    current = e;
    return new Snapshot(null, e.sorted());
  }

  /** The later of two summaries of one request; the second when neither says (it was heard later). */
  private static RequestStatus newer(RequestStatus had, RequestStatus next) {
    if (had.updatedAt() != null && next.updatedAt() != null && next.updatedAt().isBefore(had.updatedAt())) {
      return had;
    }
    return next;
  }

  /** How many changes are noted and not yet folded in (for the tests). */
  int noted() {
    return heard.size();
  }

  /**
   * How many times the list was read from the source so far.
   *
   * @return the count
   */
  public long builds() {
    return builds.get();
  }
}
