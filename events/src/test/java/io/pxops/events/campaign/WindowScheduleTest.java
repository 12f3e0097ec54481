package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.WindowSchedule.DateRange;
import io.pxops.events.campaign.WindowSchedule.DayRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Maintenance windows: named examples at DST edges and midnight, and properties against a
 * minute-by-minute scan (the definition, {@code isOpenAt}, walked forward) over random windows,
 * zones with DST (including Lord Howe's 30-minute shift) and instants near their transitions.
 */
class WindowScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static WindowSchedule weekly(ZoneId zone, DayOfWeek day, String from, String to) {
    return new WindowSchedule(
        zone, List.of(new DayRange(day, LocalTime.parse(from), LocalTime.parse(to))), List.of());
  }

  private static Instant at(String utc) {
    return Instant.parse(utc);
  }

  @Test
  void givenARangeInsideTheSkippedHour_whenClocksSpringForward_thenItDoesNotHappenThatDay() {
    // Berlin, Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z)
    WindowSchedule w = weekly(BERLIN, DayOfWeek.SUNDAY, "02:00", "03:00");

    assertThat(w.isOpenAt(at("2026-03-29T00:59:00Z"))).isFalse();
    assertThat(w.isOpenAt(at("2026-03-29T01:00:00Z"))).isFalse();
    assertThat(w.nextOpening(at("2026-03-28T12:00:00Z")))
        .contains(at("2026-04-05T00:00:00Z")); // next Sunday 02:00 CEST
  }

  @Test
  void givenARangeAcrossTheSkippedHour_whenClocksSpringForward_thenItIsAnHourShorter() {
    WindowSchedule w = weekly(BERLIN, DayOfWeek.SUNDAY, "01:30", "03:30");

    assertThat(w.nextOpening(at("2026-03-28T12:00:00Z"))).contains(at("2026-03-29T00:30:00Z"));
    assertThat(w.isOpenAt(at("2026-03-29T01:00:00Z"))).isTrue(); // 03:00 CEST
    assertThat(w.isOpenAt(at("2026-03-29T01:29:00Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-03-29T01:30:00Z"))).isFalse(); // 03:30 CEST
  }

  @Test
  void givenARangeInsideTheRepeatedHour_whenClocksFallBack_thenItIsOpenBothTimes() {
    // Berlin, Sunday 2026-10-25: 03:00 CEST goes back to 02:00 CET (01:00Z)
    WindowSchedule w = weekly(BERLIN, DayOfWeek.SUNDAY, "02:00", "02:30");

    assertThat(w.nextOpening(at("2026-10-24T12:00:00Z"))).contains(at("2026-10-25T00:00:00Z"));
    assertThat(w.isOpenAt(at("2026-10-25T00:29:00Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-10-25T00:30:00Z"))).isFalse();
    // the second 02:00 begins at the transition itself
    assertThat(w.nextOpening(at("2026-10-25T00:30:00Z"))).contains(at("2026-10-25T01:00:00Z"));
    assertThat(w.isOpenAt(at("2026-10-25T01:29:00Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-10-25T01:30:00Z"))).isFalse();
  }

  @Test
  void givenARangeStartingInTheSkippedHour_whenClocksSpringForward_thenItOpensWhenTheClockJumpsIntoIt() {
    // 02:30 does not exist on 2026-03-29 in Berlin; local time jumps from 02:00 to 03:00, inside the range
    WindowSchedule w = weekly(BERLIN, DayOfWeek.SUNDAY, "02:30", "04:00");

    assertThat(w.nextOpening(at("2026-03-28T12:00:00Z"))).contains(at("2026-03-29T01:00:00Z"));
    assertThat(w.isOpenAt(at("2026-03-29T00:59:00Z"))).isFalse();
  }

  @Test
  void givenARangeInsideTheRepeatedHour_whenItsFirstPassIsOver_thenItOpensAgainAtItsStartInTheSecondPass() {
    WindowSchedule w = weekly(BERLIN, DayOfWeek.SUNDAY, "02:15", "02:45");

    assertThat(w.nextOpening(at("2026-10-25T00:45:00Z"))).contains(at("2026-10-25T01:15:00Z"));
    assertThat(w.isOpenAt(at("2026-10-25T01:14:00Z"))).isFalse(); // 02:14 CET
  }

  @Test
  void givenARangeEndingBeforeItStarts_whenRead_thenItRunsIntoTheNextDay() {
    WindowSchedule w = weekly(ZoneOffset.UTC, DayOfWeek.SATURDAY, "22:00", "02:00");

    assertThat(w.isOpenAt(at("2026-03-07T21:59:00Z"))).isFalse();
    assertThat(w.isOpenAt(at("2026-03-07T22:00:00Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-03-08T01:59:00Z"))).isTrue(); // Sunday
    assertThat(w.isOpenAt(at("2026-03-08T02:00:00Z"))).isFalse();
    assertThat(w.nextOpening(at("2026-03-08T02:00:00Z"))).contains(at("2026-03-14T22:00:00Z"));
  }

  @Test
  void givenMidnightToMidnight_whenRead_thenItIsTheWholeDay() {
    WindowSchedule w = weekly(ZoneOffset.UTC, DayOfWeek.MONDAY, "00:00", "00:00");

    assertThat(w.isOpenAt(at("2026-03-02T00:00:00Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-03-02T23:59:59Z"))).isTrue();
    assertThat(w.isOpenAt(at("2026-03-03T00:00:00Z"))).isFalse();
  }

  @Test
  void givenADateRange_whenRead_thenItIsOpenOnlyThenInItsZone() {
    WindowSchedule w =
        new WindowSchedule(
            ZoneId.of("America/New_York"),
            List.of(),
            List.of(
                new DateRange(
                    LocalDateTime.parse("2026-12-24T20:00"), LocalDateTime.parse("2026-12-25T06:00"))));

    assertThat(w.nextOpening(at("2026-12-01T00:00:00Z"))).contains(at("2026-12-25T01:00:00Z"));
    assertThat(w.isOpenAt(at("2026-12-25T10:59:00Z"))).isTrue();
    assertThat(w.nextOpening(at("2026-12-25T11:00:00Z"))).isEmpty();
  }

  @Test
  void givenWindowsThatNeverOverlap_whenIntersected_thenTheyNeverOpen() {
    MaintenanceWindow mondays = weekly(ZoneOffset.UTC, DayOfWeek.MONDAY, "00:00", "00:00");
    MaintenanceWindow tuesdays = weekly(ZoneOffset.UTC, DayOfWeek.TUESDAY, "00:00", "00:00");

    MaintenanceWindow both = MaintenanceWindow.allOf(List.of(mondays, tuesdays));

    assertThat(both.nextOpening(at("2026-03-01T00:00:00Z"))).isEmpty();
    assertThat(MaintenanceWindow.allOf(List.of())).isSameAs(MaintenanceWindow.ALWAYS);
  }

  @Test
  void givenADatabaseWindowAndACampaignWindowInOtherZones_whenIntersected_thenOpenWhereBothAre() {
    // Monday 20:00-23:00 Berlin (19:00-22:00Z in March) and Monday 16:00-18:00 New York (21:00-23:00Z)
    MaintenanceWindow db = weekly(BERLIN, DayOfWeek.MONDAY, "20:00", "23:00");
    MaintenanceWindow campaign = weekly(ZoneId.of("America/New_York"), DayOfWeek.MONDAY, "16:00", "18:00");

    MaintenanceWindow both = MaintenanceWindow.allOf(List.of(db, campaign));

    assertThat(both.nextOpening(at("2026-03-16T00:00:00Z"))).contains(at("2026-03-16T20:00:00Z"));
    assertThat(both.isOpenAt(at("2026-03-16T21:59:00Z"))).isTrue();
    assertThat(both.isOpenAt(at("2026-03-16T22:00:00Z"))).isFalse();
  }

  // ---- properties --------------------------------------------------------------------------

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneOffset.UTC,
          BERLIN,
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("America/Santiago"),
          ZoneId.of("Asia/Kolkata"));

  /** Instants near 2026's DST transitions of the zones above, at whole minutes. */
  private static final List<Instant> EDGES =
      List.of(
          at("2026-03-29T01:00:00Z"),
          at("2026-10-25T01:00:00Z"),
          at("2026-03-08T07:00:00Z"),
          at("2026-11-01T06:00:00Z"),
          at("2026-04-04T15:00:00Z"),
          at("2026-10-03T15:30:00Z"),
          at("2026-04-05T03:00:00Z"),
          at("2026-09-06T04:00:00Z"));

  @Provide
  Arbitrary<WindowSchedule> schedules() {
    // half the times fall between 00:00 and 04:00, where clocks change, and ranges start on
    // Sundays more often, the day most zones change on
    Arbitrary<LocalTime> quarterHours =
        Arbitraries.oneOf(Arbitraries.integers().between(0, 95), Arbitraries.integers().between(0, 15))
            .map(q -> LocalTime.of(q / 4, (q % 4) * 15));
    Arbitrary<DayOfWeek> weekdays =
        Arbitraries.oneOf(Arbitraries.of(DayOfWeek.class), Arbitraries.just(DayOfWeek.SUNDAY));
    Arbitrary<DayRange> days =
        Combinators.combine(weekdays, quarterHours, quarterHours)
            .as(DayRange::new);
    Arbitrary<DateRange> dates =
        Combinators.combine(
                Arbitraries.of(EDGES),
                Arbitraries.integers().between(-3 * 24 * 4, 10 * 24 * 4),
                Arbitraries.integers().between(1, 3 * 24 * 4))
            .as(
                (edge, startQ, lengthQ) -> {
                  LocalDateTime start =
                      LocalDateTime.ofInstant(edge, ZoneOffset.UTC).plusMinutes(15L * startQ);
                  return new DateRange(start, start.plusMinutes(15L * lengthQ));
                });
    return Combinators.combine(
            Arbitraries.of(ZONES), days.list().ofMaxSize(3), dates.list().ofMaxSize(2))
        .as(WindowSchedule::new);
  }

  @Provide
  Arbitrary<Instant> nearTransitions() {
    return Combinators.combine(Arbitraries.of(EDGES), Arbitraries.integers().between(-4 * 1440, 4 * 1440))
        .as((edge, minutes) -> edge.plus(minutes, ChronoUnit.MINUTES));
  }

  /** A window and an instant within days of one of its own zone's DST transitions. */
  record Case(WindowSchedule window, Instant t) {}

  @Provide
  Arbitrary<Case> nearItsOwnTransitions() {
    return Combinators.combine(
            schedules(), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(-3 * 1440, 2 * 1440))
        .as(
            (w, nth, minutes) -> {
              Instant edge = at("2026-01-01T00:00:00Z");
              for (int i = 0; i <= nth; i++) {
                java.time.zone.ZoneOffsetTransition next = w.zone().getRules().nextTransition(edge);
                edge = next == null ? edge.plus(Duration.ofDays(90)) : next.getInstant();
              }
              return new Case(w, edge.plus(minutes, ChronoUnit.MINUTES));
            });
  }

  @Property
  void givenAnyWindow_whenAskedForTheNextOpening_thenItIsTheFirstOpenMinute(
      @ForAll("schedules") WindowSchedule window, @ForAll("nearTransitions") Instant t) {
    assertNextOpening(window, t, window.nextOpening(t));
  }

  @Property(tries = 100)
  void givenAnyWindowNearItsZonesClockChanges_whenAskedForTheNextOpening_thenItIsTheFirstOpenMinute(
      @ForAll("nearItsOwnTransitions") Case c) {
    assertNextOpening(c.window(), c.t(), c.window().nextOpening(c.t()));
  }

  @Property(tries = 100)
  void givenTwoWindowsInAnyZones_whenIntersected_thenTheNextOpeningIsTheFirstMinuteBothAreOpen(
      @ForAll("schedules") WindowSchedule a,
      @ForAll("schedules") WindowSchedule b,
      @ForAll("nearTransitions") Instant t) {
    MaintenanceWindow both = MaintenanceWindow.allOf(List.of(a, b));

    assertNextOpening(both, t, both.nextOpening(t));
    for (Instant probe : List.of(t, t.plus(Duration.ofHours(7)), t.plus(Duration.ofDays(2)))) {
      assertThat(both.isOpenAt(probe)).isEqualTo(a.isOpenAt(probe) && b.isOpenAt(probe));
    }
  }

  /**
   * Checks an answer against the definition: the scan finds the same first open instant within
   * {@link #SCANNED}; an answer beyond that (a date range months away) must be open and follow a
   * closed quarter-hour.
   */
  private static void assertNextOpening(MaintenanceWindow w, Instant t, Optional<Instant> next) {
    Optional<Instant> scanned = scan(w, t);
    if (scanned.isPresent()) {
      assertThat(next).isEqualTo(scanned);
    } else {
      next.ifPresent(
          n -> {
            assertThat(n).isAfter(t.plus(SCANNED));
            assertThat(w.isOpenAt(n)).isTrue();
            assertThat(w.isOpenAt(n.minus(15, ChronoUnit.MINUTES))).isFalse();
          });
    }
  }

  private static final Duration SCANNED = Duration.ofDays(16);

  /**
   * The definition walked forward: {@code t}, then every quarter hour (UTC) after it. Every edge
   * here is on that grid: ranges are quarter hours of local time, and every offset of these zones
   * is a multiple of 30 minutes with transitions on whole or half hours.
   */
  private static Optional<Instant> scan(MaintenanceWindow w, Instant t) {
    if (w.isOpenAt(t)) {
      return Optional.of(t);
    }
    Instant end = t.plus(SCANNED);
    long quarter = Duration.ofMinutes(15).getSeconds();
    Instant first = Instant.ofEpochSecond((t.getEpochSecond() / quarter + 1) * quarter);
    for (Instant i = first; !i.isAfter(end); i = i.plus(15, ChronoUnit.MINUTES)) {
      if (w.isOpenAt(i)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }
}
