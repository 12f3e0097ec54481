package io.pxops.verifier;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which chunks of which tables one look of the data check compares, so that a look's cost is bounded by
 * settings and not by the size of the data (issue "A check whose cost does not grow with the data"). Pure logic
 * over {@link Keys}, read by {@link BoundedDataCheck} on one node; property-tested with an in-memory index.
 *
 * <p>A table with a single integer primary key is cut into chunks of at most {@code chunkRows} keys, by key range
 * ({@code pk > lo AND pk <= hi}, a range scan on the primary key; a chunk's upper bound is found by reading at most
 * {@code chunkRows} index entries after {@code lo}, never by an OFFSET from the start of the table), in the manner
 * of Percona Toolkit's {@code pt-table-checksum}. Each look compares:
 * <ol>
 *   <li>first, for each table in turn, its <b>newest</b> chunk: the last {@code chunkRows} keys up to the bound (the
 *       smallest {@code MAX(pk)} over the nodes), where an application's writes land, so the rows written since the
 *       previous verdict are compared on every look (on every look for every table when the tables are at most half
 *       the chunks of a look; else in turn); a table without an integer key gets its head instead
 *       ({@link Chunk.Kind#HEAD}: the whole table when small, see {@link BoundedDataCheck});
 *   <li>then, with what is left of the look's budget, the next chunks of a <b>rotation</b> per table, from the
 *       first key up to the newest chunk, contiguous and non-overlapping; the rotation's cursor is kept between
 *       looks ({@link Rotation}), so consecutive looks, verdicts and updates cover the whole table in turn.
 * </ol>
 * A chunk whose nodes differed is compared again first on the following looks, until it agrees. At most
 * {@code maxChunks} chunks a look, of which the newest chunks take at most half of what the suspects leave; when that share ends before
 * every table had its newest chunk, the next look starts at the first table left out, so no table is starved.
 */
public final class ChunkPlanner {

  /** One table's integer primary key, read on one node. */
  public interface Keys {

    /** The check's upper bound (the smallest {@code MAX(pk)} over the nodes), or {@code null} when empty. */
    Long upperBound() throws SQLException;

    /** Up to {@code n} keys {@code > after} (null: from the first) and {@code <= upTo}: how many, and the last. */
    Span after(Long after, long upTo, int n) throws SQLException;

    /**
     * The key below the newest {@code n} keys {@code <= upTo}: {@code k} such that {@code (k, upTo]} holds exactly
     * {@code n} keys; {@code null} when there are {@code n} keys or fewer.
     */
    Long belowNewest(long upTo, int n) throws SQLException;
  }

  /** A run of keys: how many, and the last (null when none). */
  public record Span(int count, Long last) {
  }

  /** A table the planner visits: its name, and its integer key, or {@code null} when it has none. */
  public record Table(String name, Keys keys) {
  }

  /**
   * One chunk to compare across nodes.
   *
   * @param table {@code schema.table}
   * @param lo the exclusive lower key bound, {@code null} for none (from the first key)
   * @param hi the inclusive upper key bound; {@code null} only for a table without an integer key or an empty one
   * @param kind which part of the plan it is
   */
  public record Chunk(String table, Long lo, Long hi, Kind kind) {

    /** Which part of the plan a chunk is. */
    public enum Kind {
      /** The newest keys of a table (every look). */
      NEWEST,
      /** The next chunk of the table's rotation. */
      ROTATION,
      /** A table without an integer key, or an empty one: checked by {@link BoundedDataCheck} within chunkRows. */
      HEAD
    }
  }

  /** Where the rotation of one database stands; kept by the verifier between looks (in memory, see class doc). */
  public static final class Rotation {

    private int firstTable;
    private int firstRotating;
    private long looks;
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<Chunk> suspects = new ArrayList<>();

    /** The chunks that differed on their last comparison, compared first on the next look until they agree. */
    public synchronized List<Chunk> suspects() {
      return List.copyOf(suspects);
    }

    /** The last key the table's rotation has compared, or {@code null} when it starts from the first key. */
    public synchronized Long cursor(String table) {
      return cursors.get(table);
    }
  }

  /** What runs a chunk on every node. */
  @FunctionalInterface
  public interface ChunkRunner {
    Outcome run(Chunk chunk) throws SQLException;
  }

  /**
   * What running a chunk showed.
   *
   * @param agreed whether every node had the same count and checksum
   * @param goOn whether the look may go on (false once its time is spent)
   */
  public record Outcome(boolean agreed, boolean goOn) {
  }

  private final int chunkRows;
  private final int maxChunks;

  /**
   * @param chunkRows the most keys in one chunk, at least 1
   * @param maxChunks the most chunks in one look, at least 1
   */
  public ChunkPlanner(int chunkRows, int maxChunks) {
    if (chunkRows < 1 || maxChunks < 1) {
      throw new IllegalArgumentException("chunkRows and maxChunks must be at least 1, were " + chunkRows + ", "
          + maxChunks);
    }
    this.chunkRows = chunkRows;
    this.maxChunks = maxChunks;
  }

  /**
   * Plans one look and hands each chunk to {@code runner} as it is planned (a chunk's bounds are read just before it
   * is compared, so a growing table is cut where it stands). Advances {@code rotation}.
   *
   * <p>The newest chunks take at most half the budget (rounded up), so the rotations always move on: had the newest
   * chunks of many tables taken every chunk of every look, no rotation would ever have advanced, and an old row that
   * differed would never be found. Looks alternate which of the two goes first (so a look cut short by its time does
   * not always cut the same one); with a budget of one chunk, looks alternate between the two.
   *
   * @return the chunks run, in order
   */
  public List<Chunk> look(List<Table> tables, Rotation rotation, ChunkRunner runner) throws SQLException {
    synchronized (rotation) {
      List<Chunk> ran = new ArrayList<>();
      int count = tables.size();
      if (count == 0) {
        return ran;
      }
      // a chunk that differed is compared again, first, until it agrees: had the look moved on to other chunks, the
      // verdict would have held on looks that never saw the difference again, and passed over a real divergence
      List<Chunk> suspects = new ArrayList<>(rotation.suspects);
      rotation.suspects.clear();
      for (int i = 0; i < suspects.size(); i++) {
        if (ran.size() == maxChunks) {
          rotation.suspects.addAll(suspects.subList(i, suspects.size()));
          return ran;
        }
        if (!run(suspects.get(i), runner, rotation, ran)) {
          rotation.suspects.addAll(suspects.subList(i + 1, suspects.size()));
          return ran;
        }
      }
      int left = maxChunks - ran.size();
      if (left == 0) {
        return ran;
      }
      // newest-first and rotation-first alternate from look to look: when the look's time runs out early (a loaded
      // node), a fixed order would spend every look on the same phase and starve the other
      boolean rotationFirst = rotation.looks % 2 == 1;
      int newestBudget = left == 1 ? (rotationFirst ? 0 : 1) : left - left / 2;
      rotation.looks++;
      Map<String, Long> newestFrom = new HashMap<>();
      if (rotationFirst) {
        if (rotations(tables, rotation, runner, ran, newestFrom, maxChunks - newestBudget)) {
          newestChunks(tables, rotation, runner, ran, newestFrom, newestBudget);
        }
      } else if (newestChunks(tables, rotation, runner, ran, newestFrom, newestBudget)) {
        rotations(tables, rotation, runner, ran, newestFrom, maxChunks);
      }
      return ran;
    }
  }

  /** The newest chunks of up to {@code budget} tables, in turn; answers whether the look goes on. */
  private boolean newestChunks(List<Table> tables, Rotation rotation, ChunkRunner runner, List<Chunk> ran,
      Map<String, Long> newestFrom, int budget) throws SQLException {
    int count = tables.size();
    int start = Math.floorMod(rotation.firstTable, count);
    int visits = Math.min(count, Math.min(budget, maxChunks - ran.size()));
    for (int i = 0; i < visits; i++) {
      rotation.firstTable = (start + i + 1) % count; // the tables left out go first next time
      if (!run(newest(tables.get((start + i) % count), newestFrom), runner, rotation, ran)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The next chunks of the tables' rotations, one a table a round (round robin: the next look's rotations start after
   * the last table that had a chunk in this one), until {@code ran} holds {@code limit} chunks; each table at most once
   * round in a look. Answers whether the look goes on.
   */
  private boolean rotations(List<Table> tables, Rotation rotation, ChunkRunner runner, List<Chunk> ran,
      Map<String, Long> newestFrom, int limit) throws SQLException {
    int count = tables.size();
    int firstRotating = Math.floorMod(rotation.firstRotating, count);
    List<Integer> rotating = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (tables.get((firstRotating + i) % count).keys() != null) {
        rotating.add((firstRotating + i) % count);
      }
    }
    while (!rotating.isEmpty()) {
      for (var it = rotating.iterator(); it.hasNext(); ) {
        int index = it.next();
        Table t = tables.get(index);
        if (ran.size() >= limit) {
          return true;
        }
        Long below = newestFrom.containsKey(t.name()) ? newestFrom.get(t.name()) : newestFrom(t);
        newestFrom.put(t.name(), below);
        Chunk next = below == null ? null : nextInRotation(t, below, rotation);
        if (next == null) {
          it.remove(); // nothing below its newest chunk, which alone covers the table
          continue;
        }
        if (next.hi() >= below) {
          it.remove(); // this table's rotation came round: once a look is enough
        }
        rotation.firstRotating = (index + 1) % count;
        if (!run(next, runner, rotation, ran)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Runs a chunk, remembering it as a suspect when the nodes differed; answers whether the look goes on. */
  private boolean run(Chunk chunk, ChunkRunner runner, Rotation rotation, List<Chunk> ran) throws SQLException {
    ran.add(chunk);
    Outcome outcome = runner.run(chunk);
    if (!outcome.agreed() && !rotation.suspects.contains(chunk) && rotation.suspects.size() < maxChunks) {
      rotation.suspects.add(chunk);
    }
    return outcome.goOn();
  }

  /** Where the table's newest chunk starts (exclusive), {@code null} when it is empty or one chunk holds it all. */
  private Long newestFrom(Table t) throws SQLException {
    Long upper = t.keys().upperBound();
    return upper == null ? null : t.keys().belowNewest(upper, chunkRows);
  }

  /** The table's newest chunk; records the key it starts above ({@code null}: the chunk is the whole table). */
  private Chunk newest(Table t, Map<String, Long> newestFrom) throws SQLException {
    if (t.keys() == null) {
      return new Chunk(t.name(), null, null, Chunk.Kind.HEAD);
    }
    Long upper = t.keys().upperBound();
    if (upper == null) {
      return new Chunk(t.name(), null, null, Chunk.Kind.HEAD);
    }
    Long lo = t.keys().belowNewest(upper, chunkRows);
    newestFrom.put(t.name(), lo);
    return new Chunk(t.name(), lo, upper, Chunk.Kind.NEWEST);
  }

  /** The next chunk of the table's rotation, below {@code newestFrom}; {@code null} when there is none. */
  private Chunk nextInRotation(Table t, long newestFrom, Rotation rotation) throws SQLException {
    Long cursor = rotation.cursors.get(t.name());
    if (cursor != null && cursor >= newestFrom) {
      cursor = null; // the rotation reached the newest chunk (or the table shrank below it): start again
    }
    Span span = t.keys().after(cursor, newestFrom, chunkRows);
    if (span.count() == 0 || span.last() == null) {
      rotation.cursors.remove(t.name());
      return null;
    }
    long hi = span.last();
    if (hi >= newestFrom) {
      rotation.cursors.remove(t.name()); // a full pass: the next chunk starts from the first key again
    } else {
      rotation.cursors.put(t.name(), hi);
    }
    return new Chunk(t.name(), cursor, hi, Chunk.Kind.ROTATION);
  }
}
