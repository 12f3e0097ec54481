package io.pxops.statusprojector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages: never more than the page size whatever the fleet and the filters (what keeps a 10,000
 * request fleet from reaching the browser at once), the pages of one query together are exactly the matching items,
 * each once, and the fleet's version and phase come from the right request.
 */
class DashboardPagesTest {

  @Property(tries = 300)
  void aPageNeverHoldsMoreThanItsSizeAndThePagesTogetherAreEveryMatchOnce(
      @ForAll("fleets") List<RequestStatus> all, @ForAll @IntRange(min = 1, max = 200) int size,
      @ForAll("phases") String phase, @ForAll("namespaces") String namespace) {
    DashboardPages.Query first = new DashboardPages.Query(namespace, phase, null, 0, size);
    DashboardPages.Page<RequestStatus> page0 = DashboardPages.requests(all, first);
    long matching = all.stream().filter(s -> (namespace == null || s.namespace().equals(namespace))
        && (phase == null || s.phase() != null && s.phase().kubeName().equals(phase))).count();
    assertThat(page0.total()).isEqualTo(matching);
    Set<String> seen = new HashSet<>();
    int pages = (int) Math.ceil(matching / (double) size);
    for (int p = 0; p <= pages; p++) {
      DashboardPages.Page<RequestStatus> page = DashboardPages.requests(all,
          new DashboardPages.Query(namespace, phase, null, p, size));
      assertThat(page.items().size()).isLessThanOrEqualTo(size);
      page.items().forEach(s -> assertThat(seen.add(s.opsRequest())).as("on one page only").isTrue());
    }
    assertThat(seen).hasSize((int) matching);

    DashboardPages.Page<DashboardPages.FleetRow> fleet = DashboardPages.fleet(all,
        new DashboardPages.Query(namespace, phase, null, 0, size));
    assertThat(fleet.items().size()).isLessThanOrEqualTo(size);
    assertThat(fleet.items()).allSatisfy(row -> assertThat(phase == null || row.phase() != null
        && row.phase().kubeName().equals(phase)).isTrue());
  }

  @Property(tries = 50)
  void aPageFarBeyondTheEndIsEmptyNotAnError(@ForAll("fleets") List<RequestStatus> all,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int page) {
    DashboardPages.Page<RequestStatus> p = DashboardPages.requests(all,
        new DashboardPages.Query(null, null, null, page, DashboardPages.MAX_PAGE_SIZE));
    assertThat(p.items().size()).isLessThanOrEqualTo(DashboardPages.MAX_PAGE_SIZE);
    assertThat(p.total()).isEqualTo(all.size());
  }

  /**
   * A page cut from the one shared snapshot for a caller who sees only some namespaces is the page of a list holding
   * only that caller's requests (would catch a snapshot that shows a caller another tenant's rows or counts them in
   * its totals, or a fleet row made differently once sorted up front).
   */
  @Property(tries = 200)
  void aPageOfTheSharedSnapshotIsThePageOfTheCallersOwnList(@ForAll("fleets") List<RequestStatus> all,
      @ForAll @IntRange(min = 1, max = 60) int size, @ForAll @IntRange(min = 0, max = 5) int page,
      @ForAll("phases") String phase, @ForAll("namespaces") String namespace,
      @ForAll("visibleSets") Set<String> visible) {
    DashboardPages.Query q = new DashboardPages.Query(namespace, phase, null, page, size);
    List<RequestStatus> own = all.stream().filter(s -> visible.contains(s.namespace())).toList();
    DashboardPages.Sorted shared = DashboardPages.sorted(all);
    assertThat(shared.requests(q, visible::contains)).isEqualTo(DashboardPages.requests(own, q));
    assertThat(shared.fleet(q, visible::contains)).isEqualTo(DashboardPages.fleet(own, q));
  }

  @Test
  void aDatabasesVersionIsItsNewestSuccessfulTargetElseWhatItsNewestStartedRequestFound() {
    List<RequestStatus> all = List.of(
        status("a/old", "a/db", OpsPhase.SUCCESSFUL, "10.6.1", "10.11.1", 1),
        status("a/new", "a/db", OpsPhase.FAILED, "10.11.1", "10.11.9", 2),
        status("a/queued", "a/db", OpsPhase.PENDING, null, "10.11.9", 3),
        status("b/only", "b/db", OpsPhase.SUCCESSFUL, "10.6.1", "10.11.1", 4));
    DashboardPages.Page<DashboardPages.FleetRow> page = DashboardPages.fleet(all,
        new DashboardPages.Query(null, null, null, 0, 10));
    assertThat(page.items()).extracting(DashboardPages.FleetRow::database, DashboardPages.FleetRow::version,
            DashboardPages.FleetRow::currentRequest, DashboardPages.FleetRow::phase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a/db", "10.11.1", "a/queued", OpsPhase.PENDING),
            org.assertj.core.groups.Tuple.tuple("b/db", "10.11.1", "b/only", OpsPhase.SUCCESSFUL));
    assertThat(DashboardPages.fleet(all, new DashboardPages.Query(null, null, "10.11.1", 0, 10)).total())
        .isEqualTo(2);
    assertThat(DashboardPages.fleet(all, new DashboardPages.Query("b", "Successful", null, 0, 10)).items())
        .extracting(DashboardPages.FleetRow::database).containsExactly("b/db");
  }

  @Test
  void aSizeOrPageOutOfRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> new DashboardPages.Query(null, null, null, 0, 0)).hasMessageStartingWith("size must be");
    assertThatThrownBy(() -> new DashboardPages.Query(null, null, null, 0, DashboardPages.MAX_PAGE_SIZE + 1))
        .hasMessageStartingWith("size must be");
    assertThatThrownBy(() -> new DashboardPages.Query(null, null, null, -1, 10)).hasMessageStartingWith("page must");
  }

  @Provide
  Arbitrary<List<RequestStatus>> fleets() {
    Arbitrary<RequestStatus> one = Combinators.combine(
        Arbitraries.of("a", "b", "c"), Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 999),
        Arbitraries.of(OpsPhase.values()).injectNull(0.1), Arbitraries.integers().between(0, 50).injectNull(0.1))
        .as((ns, db, req, phase, at) -> status(ns + "/r" + req, ns + "/db" + db, phase, null, "10.11." + (req % 3),
            at));
    return one.list().ofMaxSize(600).map(list -> {
      // one status per request name, as the store holds
      List<RequestStatus> unique = new ArrayList<>();
      Set<String> names = new HashSet<>();
      list.forEach(s -> {
        if (names.add(s.opsRequest())) {
          unique.add(s);
        }
      });
      return unique;
    });
  }

  @Provide
  Arbitrary<String> phases() {
    return Arbitraries.of("Pending", "Progressing", "Successful", "Failed", "Skipped").injectNull(0.4);
  }

  @Provide
  Arbitrary<Set<String>> visibleSets() {
    return Arbitraries.of("a", "b", "c").set();
  }

  @Provide
  Arbitrary<String> namespaces() {
    return Arbitraries.of("a", "b", "zz").injectNull(0.4);
  }

  private static RequestStatus status(String request, String database, OpsPhase phase, String from, String target,
      Integer secondsIn) {
    Instant updatedAt = secondsIn == null ? null : Instant.ofEpochSecond(1_800_000_000L + secondsIn);
    return new RequestStatus(request, database, target, "http", null, phase, 1, null, null, null, null, null, null,
        from, 3, null, null, null, null, null, null, null, null, null, null, updatedAt, null, null);
  }
}
