package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.verifier.ChunkPlanner.Chunk;
import io.pxops.verifier.ChunkPlanner.Outcome;
import io.pxops.verifier.ChunkPlanner.Rotation;
import io.pxops.verifier.ChunkPlanner.Span;
import io.pxops.verifier.ChunkPlanner.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The chunk planning of the bounded data check against an in-memory primary key: the planner's promises — no chunk
 * over its rows, no look over its budget, the rotation contiguous and without overlap, every row compared after
 * enough looks — must hold for any key set, chunk size, budget and number of tables.
 */
class ChunkPlannerTest {

  private static final Outcome AGREED = new Outcome(true, true);

  /** A table's integer primary key held in memory, as the first node would answer. */
  static final class MemoryKeys implements ChunkPlanner.Keys {

    final NavigableSet<Long> keys = new TreeSet<>();

    MemoryKeys(Set<Long> keys) {
      this.keys.addAll(keys);
    }

    @Override
    public Long upperBound() {
      return keys.isEmpty() ? null : keys.last();
    }

    @Override
    public Span after(Long after, long upTo, int n) {
      NavigableSet<Long> range = after == null ? keys.headSet(upTo, true) : keys.subSet(after, false, upTo, true);
      int count = 0;
      Long last = null;
      for (Long k : range) {
        if (count == n) {
          break;
        }
        count++;
        last = k;
      }
      return new Span(count, last);
    }

    @Override
    public Long belowNewest(long upTo, int n) {
      int seen = 0;
      for (Long k : keys.headSet(upTo, true).descendingSet()) {
        if (seen == n) {
          return k;
        }
        seen++;
      }
      return null;
    }

    long within(Chunk c) {
      if (c.kind() == Chunk.Kind.HEAD) {
        return keys.size();
      }
      return (c.lo() == null ? keys.headSet(c.hi(), true) : keys.subSet(c.lo(), false, c.hi(), true)).size();
    }

    boolean covers(Chunk c, long key) {
      return c.kind() == Chunk.Kind.HEAD || (key <= c.hi() && (c.lo() == null || key > c.lo()));
    }
  }

  @Property(tries = 300)
  void noChunkHoldsMoreThanChunkRowsAndNoLookRunsMoreThanItsBudget(
      @ForAll @Size(min = 1, max = 5) List<@Size(max = 300) Set<@LongRange(min = -1000, max = 5000) Long>> keySets,
      @ForAll @IntRange(min = 1, max = 40) int chunkRows, @ForAll @IntRange(min = 1, max = 8) int maxChunks) {
    Map<String, MemoryKeys> keys = tables(keySets);
    ChunkPlanner planner = new ChunkPlanner(chunkRows, maxChunks);
    Rotation rotation = new Rotation();
    for (int look = 0; look < 30; look++) {
      List<Chunk> ran = run(planner, keys, rotation);
      assertThat(ran).hasSizeLessThanOrEqualTo(maxChunks);
      for (Chunk c : ran) {
        if (c.kind() != Chunk.Kind.HEAD) {
          assertThat(keys.get(c.table()).within(c)).as("%s", c).isBetween(1L, (long) chunkRows);
          assertThat(c.lo() == null || c.lo() < c.hi()).as("%s", c).isTrue();
        }
      }
    }
  }

  @Property(tries = 300)
  void theRotationIsContiguousAndEveryKeyIsComparedAfterEnoughLooks(
      @ForAll @Size(min = 1, max = 5) List<@Size(max = 300) Set<@LongRange(min = -1000, max = 5000) Long>> keySets,
      @ForAll @IntRange(min = 1, max = 40) int chunkRows, @ForAll @IntRange(min = 1, max = 8) int maxChunks) {
    Map<String, MemoryKeys> keys = tables(keySets);
    ChunkPlanner planner = new ChunkPlanner(chunkRows, maxChunks);
    Rotation rotation = new Rotation();
    Map<String, Set<Long>> unseen = new HashMap<>();
    keys.forEach((name, k) -> unseen.put(name, new TreeSet<>(k.keys)));
    Map<String, Long> lastHi = new HashMap<>();
    // at least one rotation chunk every two looks, round robin over the tables: each table moves a chunk at least
    // every 2 x tables looks, and a pass over it takes at most keys / chunkRows + 1 chunks
    int passChunks = keySets.stream().mapToInt(s -> s.size() / chunkRows + 2).max().orElse(1);
    int looks = 2 * keySets.size() * (passChunks + 1) + 2;
    for (int look = 0; look < looks && unseen.values().stream().anyMatch(s -> !s.isEmpty()); look++) {
      for (Chunk c : run(planner, keys, rotation)) {
        unseen.get(c.table()).removeIf(k -> keys.get(c.table()).covers(c, k));
        if (c.kind() == Chunk.Kind.ROTATION) {
          // each rotation chunk starts where the table's previous one ended, or at the first key (a new pass)
          assertThat(c.lo()).as("%s after %s", c, lastHi.get(c.table())).isIn(null, lastHi.get(c.table()));
          lastHi.put(c.table(), c.hi());
        }
      }
    }
    assertThat(unseen).allSatisfy((table, keysLeft) -> assertThat(keysLeft).as(table).isEmpty());
  }

  @Property(tries = 200)
  void aGrowingTableStillHasEveryOldKeyComparedAndItsNewestKeysComparedOnTheirFirstLook(
      @ForAll @Size(min = 1, max = 400) Set<@LongRange(min = 0, max = 2000) Long> initial,
      @ForAll @IntRange(min = 1, max = 30) int chunkRows, @ForAll @IntRange(min = 2, max = 6) int maxChunks,
      @ForAll @IntRange(min = 1, max = 20) int writesPerLook) {
    MemoryKeys keys = new MemoryKeys(initial);
    ChunkPlanner planner = new ChunkPlanner(chunkRows, maxChunks);
    Rotation rotation = new Rotation();
    Set<Long> unseen = new TreeSet<>(initial);
    for (int look = 0; look < 2 * (initial.size() / chunkRows + 3) && !unseen.isEmpty(); look++) {
      long newestKey = keys.keys.last();
      List<Chunk> ran = run(planner, Map.of("t", keys), rotation);
      // one table and a budget of two or more: its newest chunk on every look, holding the newest key
      assertThat(ran).filteredOn(c -> c.kind() == Chunk.Kind.NEWEST).singleElement()
          .satisfies(c -> assertThat(keys.covers(c, newestKey)).isTrue());
      for (Chunk c : ran) {
        unseen.removeIf(k -> keys.covers(c, k));
      }
      for (int w = 0; w < writesPerLook; w++) {
        keys.keys.add(keys.keys.last() + 1); // an application's inserts land above the newest key
      }
    }
    assertThat(unseen).isEmpty();
  }

  @Test
  void aLookWhoseTimeIsSpentStopsAfterTheChunkThatSpentIt() throws Exception {
    MemoryKeys keys = new MemoryKeys(new TreeSet<>(java.util.stream.LongStream.rangeClosed(1, 1000).boxed()
        .toList()));
    ChunkPlanner planner = new ChunkPlanner(10, 50);
    Rotation rotation = new Rotation();
    List<Chunk> ran = planner.look(List.of(new Table("t", keys)), rotation, c -> new Outcome(true, false));
    assertThat(ran).containsExactly(new Chunk("t", 990L, 1000L, Chunk.Kind.NEWEST));
    // the next look, cut short as well, goes to the rotation first, so neither phase is starved by a slow node
    ran = planner.look(List.of(new Table("t", keys)), rotation, c -> new Outcome(true, false));
    assertThat(ran).containsExactly(new Chunk("t", null, 10L, Chunk.Kind.ROTATION));
  }

  @Test
  void aChunkThatDifferedIsComparedFirstOnEveryLookUntilItAgrees() throws Exception {
    MemoryKeys keys = new MemoryKeys(new TreeSet<>(java.util.stream.LongStream.rangeClosed(1, 1000).boxed()
        .toList()));
    List<Table> tables = List.of(new Table("t", keys));
    ChunkPlanner planner = new ChunkPlanner(10, 3);
    Rotation rotation = new Rotation();
    Chunk differing = new Chunk("t", 10L, 20L, Chunk.Kind.ROTATION);
    // first look: the newest chunk, then the rotation's first two chunks, of which the second differs
    List<Chunk> first = planner.look(tables, rotation, c -> new Outcome(!c.equals(differing), true));
    assertThat(first).contains(differing);
    assertThat(rotation.suspects()).containsExactly(differing);
    // while it differs, every look starts with it (without it the hold would pass on looks that moved on)
    for (int look = 0; look < 5; look++) {
      List<Chunk> ran = planner.look(tables, rotation, c -> new Outcome(!c.equals(differing), true));
      assertThat(ran.get(0)).isEqualTo(differing);
      assertThat(ran).hasSizeLessThanOrEqualTo(3);
    }
    planner.look(tables, rotation, c -> AGREED);
    assertThat(rotation.suspects()).isEmpty();
    assertThat(planner.look(tables, rotation, c -> AGREED)).doesNotContain(differing);
  }

  @Test
  void aTableWithoutAnIntegerKeyIsComparedByItsHeadAndHasNoRotation() throws Exception {
    List<Chunk> ran = new ChunkPlanner(10, 50).look(List.of(new Table("t", null)), new Rotation(), c -> AGREED);
    assertThat(ran).containsExactly(new Chunk("t", null, null, Chunk.Kind.HEAD));
  }

  private static Map<String, MemoryKeys> tables(List<Set<Long>> keySets) {
    Map<String, MemoryKeys> keys = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keySets.size(); i++) {
      keys.put("t" + i, new MemoryKeys(keySets.get(i)));
    }
    return keys;
  }

  private static List<Chunk> run(ChunkPlanner planner, Map<String, MemoryKeys> keys, Rotation rotation) {
    List<Table> tables = new ArrayList<>();
    keys.forEach((name, k) -> tables.add(new Table(name, k)));
    try {
      return planner.look(tables, rotation, c -> AGREED);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
