package io.pxops.events.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When updates may start. A window is a set of instants; {@link #isOpenAt} is its definition and
 * {@link #nextOpening} the first open instant at or after a given one.
 *
 * <p>Windows are set per database, per namespace and per campaign; an update may start only when
 * all that apply are open, so they combine by intersection ({@link #allOf}). Intersection, not
 * union, because each window is a promise to someone (the database's owner, the namespace's team,
 * the campaign's operator) that nothing starts outside it.
 */
public interface MaintenanceWindow {

  /** How far {@link #nextOpening} of an intersection looks before it says "never". */
  Duration SEARCH_HORIZON = Duration.ofDays(400);

  /** A window that is always open (no window set). */
  MaintenanceWindow ALWAYS =
      new MaintenanceWindow() {
        @Override
        public boolean isOpenAt(Instant t) {
          return true;
        }

        @Override
        public Optional<Instant> nextOpening(Instant t) {
          return Optional.of(t);
        }

        @Override
        public String toString() {
          return "always";
        }
      };

  /**
   * Whether the window is open at {@code t}.
   *
   * @param t the instant
   * @return true if an update may start at {@code t}
   */
  boolean isOpenAt(Instant t);

  /**
   * The first instant at or after {@code t} at which the window is open.
   *
   * @param t the instant to search from
   * @return {@code t} itself if the window is open then; empty if it never opens again (within
   *     {@link #SEARCH_HORIZON} for an intersection)
   */
  Optional<Instant> nextOpening(Instant t);

  /**
   * The intersection of windows: open when every one is open.
   *
   * @param windows the windows; an empty list is {@link #ALWAYS}
   * @return the intersection
   */
  static MaintenanceWindow allOf(List<MaintenanceWindow> windows) {
    List<MaintenanceWindow> parts =
        windows.stream().filter(w -> w != ALWAYS).collect(java.util.stream.Collectors.toList());
    if (parts.isEmpty()) {
      return ALWAYS;
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new Intersection(List.copyOf(parts));
  }

  /** Open when all parts are open. */
  record Intersection(List<MaintenanceWindow> parts) implements MaintenanceWindow {

    private static final int MAX_ROUNDS = 100_000;

    /** Copies the parts. */
    public Intersection {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean isOpenAt(Instant t) {
      return parts.stream().allMatch(p -> p.isOpenAt(t));
    }

    /**
     * Leapfrogs: moves {@code t} to the latest of the parts' next openings until all are open at
     * once. Each round moves {@code t} forward, and the search stops at {@link #SEARCH_HORIZON}, so
     * two windows that never overlap (Mondays and Tuesdays) end with "never" instead of looping.
     */
    @Override
    public Optional<Instant> nextOpening(Instant t) {
      Instant horizon = t.plus(SEARCH_HORIZON);
      Instant at = t;
      // the horizon ends the search; the round cap guards against a part whose nextOpening
      // does not move forward (a bug there must not hang the caller)
      for (int round = 0; round < MAX_ROUNDS && !at.isAfter(horizon); round++) {
        Instant latest = at;
        for (MaintenanceWindow part : parts) {
          Optional<Instant> next = part.nextOpening(at);
          if (next.isEmpty()) {
            return Optional.empty();
          }
          if (next.get().isAfter(latest)) {
            latest = next.get();
          }
        }
        if (latest.equals(at)) {
          return Optional.of(at);
        }
        at = latest;
      }
      return Optional.empty();
    }
  }
}
