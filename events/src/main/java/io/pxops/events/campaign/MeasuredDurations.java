package io.pxops.events.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Update durations pxops measured before (each {@code Successful} request's {@code finishedAt -
 * startedAt}, as the status projector records them), for estimates: a database's own last
 * measured update if it has one, else the median over all. The median, not the mean, so one update
 * that waited hours for a joining node does not inflate every estimate.
 */
public final class MeasuredDurations {

  /**
   * One finished request.
   *
   * @param database {@code namespace/name}
   * @param startedAt when it started
   * @param finishedAt when it ended Successful
   */
  public record Measured(String database, Instant startedAt, Instant finishedAt) {}

  private final Map<String, Duration> lastByDatabase = new HashMap<>();
  private final Duration median;
  private final int count;

  /**
   * Measures.
   *
   * @param successful successful requests (any order; ones without both instants are ignored)
   */
  public MeasuredDurations(List<Measured> successful) {
    List<Duration> all = new ArrayList<>();
    Map<String, Instant> lastFinish = new HashMap<>();
    for (Measured m : successful) {
      if (m.startedAt() == null || m.finishedAt() == null || m.finishedAt().isBefore(m.startedAt())) {
        continue;
      }
      Duration d = Duration.between(m.startedAt(), m.finishedAt());
      all.add(d);
      Instant seen = lastFinish.get(m.database());
      if (seen == null || m.finishedAt().isAfter(seen)) {
        lastFinish.put(m.database(), m.finishedAt());
        lastByDatabase.put(m.database(), d);
      }
    }
    all.sort(Comparator.naturalOrder());
    count = all.size();
    median = all.isEmpty() ? null : all.get(all.size() / 2);
  }

  /**
   * How many measurements there are.
   *
   * @return the number of successful updates measured
   */
  public int count() {
    return count;
  }

  /**
   * The median of all measurements.
   *
   * @return the median, or empty if nothing was measured
   */
  public Optional<Duration> median() {
    return Optional.ofNullable(median);
  }

  /**
   * A database's expected update duration.
   *
   * @param database {@code namespace/name}
   * @return its own last measured update, else the median; empty if nothing was measured
   */
  public Optional<Duration> durationOf(String database) {
    Duration own = lastByDatabase.get(database);
    return own != null ? Optional.of(own) : median();
  }

  /**
   * Whether a database has its own measurement.
   *
   * @param database {@code namespace/name}
   * @return true if one of its updates was measured
   */
  public boolean hasOwn(String database) {
    return lastByDatabase.containsKey(database);
  }
}
