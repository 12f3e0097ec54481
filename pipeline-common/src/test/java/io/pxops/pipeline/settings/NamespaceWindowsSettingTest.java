package io.pxops.pipeline.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.events.campaign.WindowSchedule;
import io.pxops.pipeline.ConfigOrExit;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceWindowsSettingTest {

  private static final String BERLIN_SATURDAYS =
      "{\"timeZone\":\"Europe/Berlin\",\"days\":[{\"day\":\"Saturday\",\"start\":\"22:00\",\"end\":\"06:00\"}]}";

  private static List<NamespaceWindow> read(String value) {
    return ConfigOrExit.readChecked(Map.of("PXOPS_NAMESPACE_WINDOWS", value), new String[0],
        PxopsSettings.NAMESPACE_WINDOWS::read);
  }

  @Test
  void unsetMeansNoWindows() {
    assertThat(PxopsSettings.NAMESPACE_WINDOWS.read(Map.of())).isEmpty();
  }

  @Test
  void givenWindowsWithSelectors_whenRead_thenEachKeepsItsLabelsAndWindowInOrder() {
    List<NamespaceWindow> windows = read("[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"billing\","
        + "\"pxops.io/tier\":\"gold\"}},\"window\":" + BERLIN_SATURDAYS + "},"
        + "{\"namespaceSelector\":{},\"window\":{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\","
        + "\"start\":\"02:00\",\"end\":\"05:00\"}]}}]");
    assertThat(windows).hasSize(2);
    assertThat(windows.get(0).namespaceSelector()).containsExactlyInAnyOrderEntriesOf(
        Map.of("team", "billing", "pxops.io/tier", "gold"));
    assertThat(windows.get(0).window()).isInstanceOfSatisfying(WindowSchedule.class, w -> {
      assertThat(w.zone().getId()).isEqualTo("Europe/Berlin");
      assertThat(w.days().get(0).day()).isEqualTo(DayOfWeek.SATURDAY);
    });
    assertThat(windows.get(1).namespaceSelector()).as("{} selects every namespace").isEmpty();
  }

  @Test
  void givenABadValue_whenTheIngestStarts_thenItIsRefusedNamingTheSettingTheIndexTheFieldAndEachRule() {
    assertThatThrownBy(() -> read("[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"billing\"}},\"window\":"
        + BERLIN_SATURDAYS + "},{\"namespaceSelector\":{\"matchLabels\":{\"bad key!\":\"x\"}},"
        + "\"window\":{\"timeZone\":\"Mars/Olympus\",\"days\":[{\"day\":\"Caturday\",\"start\":\"01:00\","
        + "\"end\":\"02:00\"}]}}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PXOPS_NAMESPACE_WINDOWS must be a JSON list of ")
        .hasMessageContaining("; it breaks 3 rule(s): ")
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[1].namespaceSelector.matchLabels[\"bad key!\"]: ")
        .hasMessageContaining("(LabelKey)")
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[1].window.timeZone")
        .hasMessageContaining("(TimeZone)")
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[1].window.days[0].day")
        .hasMessageContaining("(Weekday)")
        .hasMessageNotContaining("PXOPS_NAMESPACE_WINDOWS[0]");
  }

  @Test
  void aForgottenSelectorAMissingWindowMatchExpressionsAndNotJsonAreRefused_notTakenAsEveryNamespaceOrNoWindow() {
    assertThatThrownBy(() -> read("[{\"window\":" + BERLIN_SATURDAYS + "}]"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[0].namespaceSelector: is required").hasMessageContaining(
            "(Required)");
    assertThatThrownBy(() -> read("[{\"namespaceSelector\":{}}]"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[0].window: is required (Required)");
    assertThatThrownBy(() -> read("[{\"namespaceSelector\":{\"matchExpressions\":[]},\"window\":"
        + BERLIN_SATURDAYS + "}]"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[0].namespaceSelector.matchExpressions: ")
        .hasMessageContaining("(Unsupported)");
    assertThatThrownBy(() -> read("[{\"namespaceSelector\":{},\"windw\":" + BERLIN_SATURDAYS + "}]"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[0].windw: is not a field").hasMessageContaining("(Unknown)");
    assertThatThrownBy(() -> read("{\"namespaceSelector\":{}}"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS: must be a JSON list").hasMessageContaining("(Type)");
    assertThatThrownBy(() -> read("[{"))
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS: is not JSON").hasMessageContaining("(Json)");
  }
}
