package io.pxops.statusprojector.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Function;

/**
 * The merged, sorted request list the dashboard's pages are cut from, built once and shared by every page call until
 * something changes, so that a page costs one pass over records in memory instead of a scan of every instance's
 * store, a merge and two sorts (1.6-1.8 s a page with 10,000 requests before, and a browser refresh makes several).
 *
 * <p><b>Why a shared snapshot rather than a projection kept in page order.</b> A projection written by the fold would
 * live on the partition's owner, while a page needs every partition in one order (and the fleet view groups requests
 * that hash to different partitions by database): it would still be merged on every call. The snapshot reuses the
 * list queries that already answer for every instance (rebalances refused with 503, peers asked with the caller's
 * token) and adds no state to the topology.
 *
 * <p><b>When it is rebuilt.</b> {@link #changed()} is called for every status the projector commits on {@code
 * pxops.status} (every instance reads all of it, so a change on any instance invalidates every instance's snapshot);
 * the next page call rebuilds. The same change reaches the browsers' SSE streams at the same moment, so a page the
 * browser loads because of an event already shows it. A snapshot older than {@code maxAge} is rebuilt whatever the
 * feed says, in case the feed falls behind. Concurrent calls wait for one rebuild instead of each doing its own.
 *
 * <p><b>Whose it is.</b> When this instance serves every partition the snapshot holds every namespace and is shared
 * by every caller (the caller's namespaces are filtered per page). When other instances were asked, their parts hold
 * only the asking caller's namespaces, so the snapshot is reused only for the same {@code Authorization} header.
 *
 * <p><b>Memory.</b> One snapshot is kept: the summaries (a few hundred bytes of JSON each; about 1 KB each on the
 * heap) in two orders that share the records, plus one row per database: about 10 MB with 10,000 requests and
 * 100 MB with 100,000 — what a single call held before while it ran, now held once and shared.
 */
public final class DashboardSnapshots {

  /** A snapshot is rebuilt after this long even without a change, should the status feed ever fall behind. */
  public static final Duration MAX_AGE = Duration.ofSeconds(2);

  private final Function<String, StatusQueries.Merged> source;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private final AtomicLong generation = new AtomicLong();
  /** Guarded by {@code this}. */
  private Entry current;
  /** How many times the list was built, for the tests and the benchmark. */
  private final AtomicLong builds = new AtomicLong();

  private record Entry(long generation, long builtAt, boolean shared, String authorization,
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
   * @param maxAge the age after which a snapshot is rebuilt without a change
   */
  DashboardSnapshots(Function<String, StatusQueries.Merged> source, LongSupplier nanoTime, Duration maxAge) {
    this.source = source;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Something changed: the next call rebuilds. Called on the status feed's thread, so it only counts. */
  public void changed() {
    generation.incrementAndGet();
  }

  /**
   * The current snapshot for a caller, rebuilt first if anything changed since it was built.
   *
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the snapshot, or the refusal to answer
   */
  public synchronized Snapshot get(String authorization) {
    long now = nanoTime.getAsLong();
    Entry e = current;
    if (e != null && e.generation() == generation.get() && now - e.builtAt() < maxAgeNanos
        && (e.shared() || Objects.equals(e.authorization(), authorization))) {
      return new Snapshot(null, e.sorted());
    }
    // read before the build: a change during the build leaves the new snapshot already out of date
    long seen = generation.get();
    current = null; // the old one is garbage while the new one is built, not both held at once
    StatusQueries.Merged merged = source.apply(authorization);
    if (merged.refusal() != null) {
      return new Snapshot(merged.refusal(), null);
    }
    builds.incrementAndGet();
    DashboardPages.Sorted sorted = DashboardPages.sorted(merged.items());
    current = new Entry(seen, now, !merged.askedPeers(), authorization, sorted);
    return new Snapshot(null, sorted);
  }

  /**
   * How many snapshots were built so far.
   *
   * @return the count
   */
  public long builds() {
    return builds.get();
  }
}
