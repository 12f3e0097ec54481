package io.pxops.verifier;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.events.NodeObservation;
import io.pxops.verifier.ChunkPlanner.Chunk;
import io.pxops.verifier.ChunkPlanner.Rotation;
import io.pxops.verifier.NodeProbe.SampledTable;
import io.pxops.verifier.NodeProbe.TableSample;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data check of one look, bounded by settings rather than by the size of the data: chunks of at most
 * {@code chunkRows} rows planned by {@link ChunkPlanner}, each counted and checksummed (a CRC32 per row, summed) on
 * every node at the same key bounds, at most {@code maxChunks} chunks and about {@code timePerLook} a look, with a
 * pause between chunks as long as the chunk before took (at most {@code pause}), so that the check never runs flat
 * out against the application's queries.
 *
 * <p>Every chunk becomes an entry of each node's {@link NodeObservation} maps, named by its table and key range
 * ({@code app.orders id in (40000,50000]}), so the verdict's answer records exactly what was compared and a
 * divergence is named by table, key range, nodes and their values ({@link ClusterCheck#compareData}). A chunk that
 * differed is compared again first on the next looks until it agrees ({@link ChunkPlanner}), so the verdict's hold
 * cannot pass on looks that went on to other chunks.
 *
 * <p>Bounds: a chunk's key range is cut on one node (the first read) and compared on every node. The upper bound of
 * a table is the smallest {@code MAX(pk)} over the nodes: with a writer running, rows above it may not have reached
 * every node yet. Tables without a single integer key: compared whole when they hold at most {@code chunkRows}
 * rows; larger ones by their first {@code chunkRows} rows in primary-key order; larger ones without a primary key
 * (Galera certifies such tables poorly and Percona's strict mode refuses them) are not compared, and the log says so.
 *
 * <p>What a look can miss, by design: a divergence in a chunk that the rotation has not reached yet (a full pass over
 * a table of R rows takes about {@code R / (maxChunks - tables) / chunkRows} looks) or that arose after its chunk was
 * compared; rows above the upper bound; tables past {@code PXOPS_VERIFY_MAX_TABLES}; beyond the head of a large table
 * without an integer key; and two different rows whose CRC32 sums collide. The newest chunk of every table is
 * compared on every look, so a write that failed to replicate during the update is caught while it is recent.
 *
 * <p>Where the rotation lives: in this instance's memory, one small entry per database. A restarted verifier starts
 * each rotation from the first key again: coverage is delayed, never wrong.
 */
public final class BoundedDataCheck {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedDataCheck.class);

  /** What one look compared. */
  public record Result(List<NodeObservation> nodes, List<Chunk> chunks, long rowsPerNode, List<String> notCompared) {
  }

  private final int maxTables;
  private final int chunkRows;
  private final ChunkPlanner planner;
  private final Duration timePerLook;
  private final Duration pause;
  private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();
  private final Set<String> toldNotCompared = ConcurrentHashMap.newKeySet();
  /**
   * The threads that read a chunk on each node at once; daemon threads, so that a stopping verifier never waits on
   * them. Unbounded in number but each holds one node's read, so at most (verdicts under way x nodes).
   */
  private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "data-check-read");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param maxTables the most user tables compared
   * @param chunkRows the most rows in a chunk
   * @param maxChunks the most chunks a look
   * @param timePerLook once this has passed, no further chunk is started in the look
   * @param pause the longest pause between two chunks (zero: none); the pause is as long as the chunk before took
   */
  public BoundedDataCheck(int maxTables, int chunkRows, int maxChunks, Duration timePerLook, Duration pause) {
    this.maxTables = maxTables;
    this.chunkRows = chunkRows;
    this.planner = new ChunkPlanner(chunkRows, maxChunks);
    this.timePerLook = timePerLook;
    this.pause = pause;
  }

  /**
   * The check as the verifier's settings make it: the whole per-verdict budget, since {@link GaleraVerifier} runs the
   * data check once per verdict, at the look that completes the hold.
   */
  public static BoundedDataCheck of(VerifierConfig config) {
    int maxChunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.rowsPerVerdict() / config.chunkRows()));
    return new BoundedDataCheck(config.maxTables(), config.chunkRows(), maxChunks, config.timePerVerdict(),
        config.chunkPause());
  }

  /**
   * Compares the data of every node in one look.
   *
   * @param database {@code namespace/name}: whose rotation to advance
   * @param nodes each node's connection, by pod, in the order of {@code statuses}; the first cuts the chunks
   * @param statuses each node's status as read in this look
   */
  public Result check(String database, Map<String, Connection> nodes, List<NodeObservation> statuses)
      throws SQLException {
    long started = System.nanoTime();
    Connection first = nodes.values().iterator().next();
    List<SampledTable> sampled = NodeProbe.tables(first, maxTables);
    Map<String, SampledTable> byName = new LinkedHashMap<>();
    List<ChunkPlanner.Table> tables = new ArrayList<>();
    for (SampledTable t : sampled) {
      byName.put(t.name(), t);
      tables.add(new ChunkPlanner.Table(t.name(), t.integerKey() == null ? null : new JdbcKeys(t, first, nodes)));
    }
    Map<String, Map<String, String>> checksums = new LinkedHashMap<>();
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (String pod : nodes.keySet()) {
      checksums.put(pod, new LinkedHashMap<>());
      counts.put(pod, new LinkedHashMap<>());
    }
    List<String> notCompared = new ArrayList<>();
    long[] rows = {0};
    boolean[] firstChunk = {true};
    Rotation rotation = rotations.computeIfAbsent(database, d -> new Rotation());
    long[] lastChunkNanos = {0};
    List<Chunk> ran = planner.look(tables, rotation, chunk -> {
      // as long as the chunk before took, at most the setting: the check leaves the node to the application at
      // least half of the time, and a quick chunk is not followed by a pause many times its own length
      if (!firstChunk[0] && !pause(pauseAfter(Duration.ofNanos(lastChunkNanos[0]), pause))) {
        return new ChunkPlanner.Outcome(true, false);
      }
      firstChunk[0] = false;
      long chunkStarted = System.nanoTime();
      SampledTable t = byName.get(chunk.table());
      if (t == null) {
        // a suspect of a table that is no longer there (dropped, or past the table limit now): nothing to compare
        return new ChunkPlanner.Outcome(true, true);
      }
      String label = label(t, chunk, first, notCompared);
      Set<TableSample> seen = new HashSet<>();
      if (label != null) {
        long most = 0;
        for (Map.Entry<String, TableSample> n : sampleEveryNode(nodes, t, chunk, label).entrySet()) {
          TableSample s = n.getValue();
          checksums.get(n.getKey()).put(label, s.checksum());
          counts.get(n.getKey()).put(label, s.rows());
          most = Math.max(most, s.rows());
          seen.add(s);
        }
        rows[0] += most;
      }
      lastChunkNanos[0] = System.nanoTime() - chunkStarted;
      return new ChunkPlanner.Outcome(seen.size() <= 1, System.nanoTime() - started < timePerLook.toNanos());
    });
    List<NodeObservation> observed = new ArrayList<>();
    for (NodeObservation n : statuses) {
      observed.add(new NodeObservation(n.pod(), n.serverVersion(), n.localStateComment(), n.clusterStatus(),
          n.ready(), n.connected(), n.clusterSize(), n.clusterStateUuid(), checksums.get(n.pod()),
          counts.get(n.pod())));
    }
    for (String table : notCompared) {
      if (toldNotCompared.add(database + " " + table)) { // once per table, not on every look
        LOG.info("data check of {}: not compared: {}", database, table);
      }
    }
    LOG.debug("data check of {}: {} chunks, at most {} rows a node, {} ms", database, ran.size(), rows[0],
        (System.nanoTime() - started) / 1_000_000);
    return new Result(observed, ran, rows[0], notCompared);
  }

  /** The name of a chunk in the answer, or {@code null} when the chunk is not compared (said in notCompared). */
  private String label(SampledTable t, Chunk chunk, Connection first, List<String> notCompared) throws SQLException {
    if (chunk.kind() != Chunk.Kind.HEAD) {
      String key = t.integerKey();
      return t.name() + " " + (chunk.lo() == null ? key + " <= " + chunk.hi()
          : key + " in (" + chunk.lo() + "," + chunk.hi() + "]");
    }
    if (NodeProbe.countUpTo(first, t, chunkRows + 1L) <= chunkRows) {
      return t.name(); // small: compared whole, as the check always did
    }
    if (t.primaryKey().isEmpty()) {
      notCompared.add(t.name() + " (no primary key, over " + chunkRows + " rows)");
      return null;
    }
    return t.name() + " first " + chunkRows + " rows by primary key";
  }

  /**
   * One chunk read on every node at once, each node on its own connection: a chunk then costs what the slowest node
   * takes rather than the sum over the nodes, which on real nodes (one machine each) is a third of it. The reads of
   * one chunk still start together, so that a write replicating meanwhile lands in the same way on every node.
   */
  private Map<String, TableSample> sampleEveryNode(Map<String, Connection> nodes, SampledTable t, Chunk chunk,
      String label) throws SQLException {
    Map<String, Future<TableSample>> reads = new LinkedHashMap<>();
    for (Map.Entry<String, Connection> n : nodes.entrySet()) {
      reads.put(n.getKey(), readers.submit(LogContext.carry(() -> sample(n.getValue(), t, chunk, label))));
    }
    Map<String, TableSample> samples = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Future<TableSample>> r : reads.entrySet()) {
        samples.put(r.getKey(), r.getValue().get());
      }
      return samples;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException("the data check of " + label + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("the data check of " + label + " was interrupted (the service is stopping)", e);
    } finally {
      reads.values().forEach(f -> f.cancel(true)); // the reads of a chunk that failed on one node end too
    }
  }

  private TableSample sample(Connection c, SampledTable t, Chunk chunk, String label) throws SQLException {
    if (chunk.kind() != Chunk.Kind.HEAD) {
      return NodeProbe.sampleRange(c, t, chunk.lo(), chunk.hi(), chunkRows + 1);
    }
    return label.equals(t.name()) ? NodeProbe.sample(c, t, null) : NodeProbe.sampleHead(c, t, chunkRows);
  }

  /** The pause after a chunk that took {@code chunk}: as long, at most {@code longest}. */
  static Duration pauseAfter(Duration chunk, Duration longest) {
    return chunk.isNegative() ? Duration.ZERO : chunk.compareTo(longest) < 0 ? chunk : longest;
  }

  /** Pauses between chunks; false when interrupted (the service is stopping: the look ends with what it has). */
  private static boolean pause(Duration pause) {
    if (pause.isZero()) {
      return true;
    }
    try {
      Thread.sleep(pause.toMillis(), (int) (pause.toNanosPart() % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A table's integer key: bounds over every node, chunks cut on the first. */
  private static final class JdbcKeys implements ChunkPlanner.Keys {

    private final SampledTable table;
    private final Connection first;
    private final Map<String, Connection> nodes;

    JdbcKeys(SampledTable table, Connection first, Map<String, Connection> nodes) {
      this.table = table;
      this.first = first;
      this.nodes = nodes;
    }

    @Override
    public Long upperBound() throws SQLException {
      Long bound = null;
      for (Connection c : nodes.values()) {
        Long max = NodeProbe.maxKey(c, table);
        if (max != null && (bound == null || max < bound)) {
          bound = max; // an empty table on one node is no bound: its count of 0 then differs, as it should
        }
      }
      return bound;
    }

    @Override
    public ChunkPlanner.Span after(Long after, long upTo, int n) throws SQLException {
      return NodeProbe.keysAfter(first, table, after, upTo, n);
    }

    @Override
    public Long belowNewest(long upTo, int n) throws SQLException {
      return NodeProbe.keyBelowNewest(first, table, upTo, n);
    }
  }
}
