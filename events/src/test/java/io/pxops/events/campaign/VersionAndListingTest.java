package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version order (numeric, not textual) and the fleet listing reader. */
class VersionAndListingTest {

  @ParameterizedTest(name = "[{index}] {0} < {1}")
  @CsvSource({"8.0.40, 8.4.3", "8.4.3, 10.6.21", "8.4, 8.4.1", "8.4.0-rc1, 8.4.0", "v8.0.9, 8.0.10", "5.7.44, 8.0.0"})
  void givenTwoVersions_whenCompared_thenTheOrderIsNumeric(String lower, String higher) {
    assertThat(Version.of(lower)).isLessThan(Version.of(higher));
    assertThat(Version.of("8.4")).isEqualTo(Version.of("8.4.0")).hasSameHashCodeAs(Version.of("8.4.0"));
  }

  @Property
  void givenAnyText_whenParsedAsAVersion_thenItNeverThrowsAndARangeNeverSelectsIt(@ForAll String text) {
    boolean parsed = Version.parse(text).isPresent();
    assertThat(new VersionRange(null, null).contains(text)).isEqualTo(parsed);
  }

  @Test
  void givenAListingWithBadEntries_whenRead_thenTheGoodOnesAreKeptAndTheBadOnesNamed() throws Exception {
    List<Violation> violations = new ArrayList<>();
    FleetListing listing =
        FleetListing.read(
            new ObjectMapper()
                .readTree(
                    """
                    {"databases": [{"namespace": "shop", "name": "a", "version": "8.0.40", "labels": {"tier": "gold"}},
                                   {"namespace": "shop", "name": "b", "version": "latest"},
                                   {"namespace": "shop", "name": "c", "version": "8.0.40",
                                    "window": {"timeZone": "Nowhere/Land"}}],
                     "namespaces": {"shop": {"team": "web"}},
                     "catalog": {"8.0.40": ["8.4.3"]}}
                    """),
            violations);

    assertThat(listing.databases()).extracting(FleetMember::ref).containsExactly("shop/a", "shop/c");
    assertThat(listing.databases().get(0).labels()).containsEntry("tier", "gold");
    assertThat(listing.namespaceLabels()).containsEntry("shop", java.util.Map.of("team", "web"));
    assertThat(listing.updateCatalog().targetsAllowedFrom("8.0.40")).containsExactly("8.4.3");
    assertThat(violations)
        .extracting(Violation::field, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("databases[1]", "Required"),
            org.assertj.core.groups.Tuple.tuple("databases[2].window.timeZone", "TimeZone"));
  }

  @Test
  void givenNamespaceWindowsInKubernetesSelectorFormAsTheIngestSettingWritesThem_whenRead_thenTheyMatchAsFlatOnes()
      throws Exception {
    List<Violation> violations = new ArrayList<>();
    FleetListing listing =
        FleetListing.read(
            new ObjectMapper()
                .readTree(
                    """
                    {"namespaceWindows": [
                       {"namespaceSelector": {"matchLabels": {"team": "finance"}},
                        "window": {"timeZone": "UTC", "days": [{"day": "Sunday", "start": "00:00", "end": "05:00"}]}},
                       {"namespaceSelector": {"team": "web"},
                        "window": {"timeZone": "UTC", "days": [{"day": "Monday", "start": "00:00", "end": "05:00"}]}},
                       {"namespaceSelector": {"matchLabels": {}},
                        "window": {"timeZone": "UTC", "days": [{"day": "Friday", "start": "00:00", "end": "05:00"}]}}]}
                    """),
            violations);

    assertThat(violations).isEmpty();
    assertThat(listing.namespaceWindows())
        .extracting(NamespaceWindow::namespaceSelector)
        .containsExactly(
            java.util.Map.of("team", "finance"), java.util.Map.of("team", "web"), java.util.Map.of());
  }
}
