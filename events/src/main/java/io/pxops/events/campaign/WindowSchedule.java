package io.pxops.events.campaign;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A maintenance window as KubeDB's supervisor declares one: weekdays with time ranges, dates (local
 * date-time ranges), and a time zone. Open at an instant when that instant's local time in {@code
 * zone} falls in any range.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>A day range is {@code [start, end)} on that weekday; if {@code end <= start} it ends on
 *       the next day ({@code Sat 22:00-02:00} runs into Sunday; {@code 00:00-00:00} is the whole
 *       day).
 *   <li>A date range is {@code [start, end)} in local date-times; {@code end} must be after {@code
 *       start}.
 *   <li>Everything is local time in {@code zone}, so a range means the same wall-clock hours all
 *       year. Across a DST change this is exactly "the instants whose local time is in the range":
 *       when clocks spring forward, a range inside the skipped hour does not happen that day and a
 *       range across it is an hour shorter; when clocks fall back, a range inside the repeated hour
 *       is open both times (so a window never silently loses the hour the operator meant).
 * </ul>
 *
 * @param zone the time zone of every range
 * @param days weekday ranges
 * @param dates one-off date-time ranges
 */
public record WindowSchedule(ZoneId zone, List<DayRange> days, List<DateRange> dates)
    implements MaintenanceWindow {

  /** Days searched for the next weekly opening: two weeks, so a week whose only range falls in a DST gap is skipped. */
  private static final int DAYS_AHEAD = 15;

  /** Zone transitions looked at, at most (two a year: centuries of dates). */
  private static final int MAX_TRANSITIONS = 2_000;

  /** Copies the lists; refuses nulls (validation of the user's text is {@link CampaignSpecValidation}'s job). */
  public WindowSchedule {
    Objects.requireNonNull(zone, "zone");
    days = List.copyOf(days);
    dates = List.copyOf(dates);
  }

  /**
   * A weekday range.
   *
   * @param day the weekday the range starts on
   * @param start local start time, inclusive
   * @param end local end time, exclusive; at or before {@code start} means the next day
   */
  public record DayRange(DayOfWeek day, LocalTime start, LocalTime end) {
    /** Refuses nulls. */
    public DayRange {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }

    LocalDateTime startOn(LocalDate date) {
      return date.atTime(start);
    }

    LocalDateTime endOn(LocalDate date) {
      return end.isAfter(start) ? date.atTime(end) : date.plusDays(1).atTime(end);
    }
  }

  /**
   * A one-off range.
   *
   * @param start local start, inclusive
   * @param end local end, exclusive
   */
  public record DateRange(LocalDateTime start, LocalDateTime end) {
    /** Refuses nulls. */
    public DateRange {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }
  }

  @Override
  public boolean isOpenAt(Instant t) {
    LocalDateTime local = LocalDateTime.ofInstant(t, zone);
    for (DayRange range : days) {
      // a range that crosses midnight started on the previous day
      for (LocalDate date : List.of(local.toLocalDate().minusDays(1), local.toLocalDate())) {
        if (date.getDayOfWeek() == range.day()
            && within(local, range.startOn(date), range.endOn(date))) {
          return true;
        }
      }
    }
    for (DateRange range : dates) {
      if (within(local, range.start(), range.end())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Candidates for the first open instant are the instants where the local time reaches a range's
   * start (under either offset when that local time is repeated) and the zone's transitions (where
   * the local time jumps, possibly into a range); the answer is the earliest candidate that is
   * open. That is complete because local time only moves continuously forward between
   * transitions, so an open stretch can begin only at a range's start or at a transition.
   */
  @Override
  public Optional<Instant> nextOpening(Instant t) {
    if (isOpenAt(t)) {
      return Optional.of(t);
    }
    List<Instant> candidates = new ArrayList<>();
    LocalDate today = LocalDateTime.ofInstant(t, zone).toLocalDate();
    for (DayRange range : days) {
      for (int d = -1; d <= DAYS_AHEAD; d++) {
        LocalDate date = today.plusDays(d);
        if (date.getDayOfWeek() == range.day()) {
          addStart(candidates, range.startOn(date));
        }
      }
    }
    Instant transitionsUntil = t.plus(java.time.Duration.ofDays(DAYS_AHEAD + 1));
    for (DateRange range : dates) {
      addStart(candidates, range.start());
      Instant end = range.end().atZone(zone).toInstant();
      if (end.isAfter(transitionsUntil)) {
        transitionsUntil = end;
      }
    }
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition transition = rules.nextTransition(t);
    for (int i = 0;
        i < MAX_TRANSITIONS && transition != null && !transition.getInstant().isAfter(transitionsUntil);
        i++) {
      candidates.add(transition.getInstant());
      transition = rules.nextTransition(transition.getInstant());
    }
    return candidates.stream().filter(c -> c.isAfter(t)).filter(this::isOpenAt).min(Instant::compareTo);
  }

  private void addStart(List<Instant> candidates, LocalDateTime start) {
    ZonedDateTime at = ZonedDateTime.ofLocal(start, zone, null);
    candidates.add(at.withEarlierOffsetAtOverlap().toInstant());
    candidates.add(at.withLaterOffsetAtOverlap().toInstant());
  }

  private static boolean within(LocalDateTime local, LocalDateTime start, LocalDateTime end) {
    return !local.isBefore(start) && local.isBefore(end);
  }
}
