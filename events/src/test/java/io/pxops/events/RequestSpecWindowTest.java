package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowSchedule;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RequestSpec#window()} on the wire: the campaign spec's window shape, optional. */
class RequestSpecWindowTest {

  private static final WindowSchedule BERLIN_SATURDAY_NIGHTS =
      new WindowSchedule(
          ZoneId.of("Europe/Berlin"),
          List.of(new WindowSchedule.DayRange(DayOfWeek.SATURDAY, LocalTime.of(22, 0), LocalTime.of(6, 0))),
          List.of(new WindowSchedule.DateRange(
              LocalDateTime.of(2026, 12, 24, 20, 0), LocalDateTime.of(2026, 12, 25, 6, 0))));

  private static final WindowSchedule UTC_SUNDAYS =
      new WindowSchedule(
          ZoneId.of("UTC"),
          List.of(new WindowSchedule.DayRange(DayOfWeek.SUNDAY, LocalTime.of(2, 0), LocalTime.of(5, 0))),
          List.of());

  private static Envelope admitted(RequestSpec spec) {
    return Envelope.of("5f0c2a4e-1b7d-4c8e-9a3f-2d6b8e1c4a70", spec.ref(), spec.databaseRef(), spec.createdAt(), null, new RequestAdmitted(spec));
  }

  private static RequestSpec specOf(Envelope envelope) {
    return ((RequestAdmitted) envelope.payload()).spec();
  }

  @Test
  void givenARecordWrittenBeforeWindowsExisted_whenDecoded_thenItHasNoWindowAndIsAlwaysOpen() {
    RequestSpec spec = specOf(Golden.envelope("RequestAdmitted"));

    assertThat(spec.window()).isNull();
    assertThat(spec.effectiveWindow()).isSameAs(MaintenanceWindow.ALWAYS);
    assertThat(Golden.tree(JsonCodec.shared().encode(Golden.envelope("RequestAdmitted"))).at("/payload/spec").has("window"))
        .as("no window is written as nothing").isFalse();
  }

  @Test
  void givenASpecWithAWindow_whenEncoded_thenTheWindowHasTheCampaignShapeAndDecodesEqual() {
    RequestSpec spec = specOf(Golden.envelope("RequestAdmitted")).withWindow(BERLIN_SATURDAY_NIGHTS);

    byte[] bytes = JsonCodec.shared().encode(admitted(spec));

    JsonNode window = Golden.tree(bytes).at("/payload/spec/window");
    assertThat(window.get("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(window.at("/days/0/day").asText()).isEqualTo("Saturday");
    assertThat(window.at("/days/0/start").asText()).isEqualTo("22:00");
    assertThat(window.at("/days/0/end").asText()).isEqualTo("06:00");
    assertThat(window.at("/dates/0/start").asText()).isEqualTo("2026-12-24T20:00");
    assertThat(specOf(JsonCodec.shared().decode(bytes))).isEqualTo(spec);
  }

  @Test
  void givenAnIntersectionOfWindows_whenEncoded_thenItIsAListAndDecodesToTheSameIntersection() {
    MaintenanceWindow both = MaintenanceWindow.allOf(List.of(BERLIN_SATURDAY_NIGHTS, UTC_SUNDAYS));
    RequestSpec spec = specOf(Golden.envelope("RequestAdmitted")).withWindow(both);

    byte[] bytes = JsonCodec.shared().encode(admitted(spec));

    assertThat(Golden.tree(bytes).at("/payload/spec/window").isArray()).isTrue();
    assertThat(Golden.tree(bytes).at("/payload/spec/window").size()).isEqualTo(2);
    assertThat(specOf(JsonCodec.shared().decode(bytes)).window()).isEqualTo(both);
  }

  @Test
  void givenABadWindow_whenDecoded_thenTheRecordIsRefusedNamingTheFieldAndTheRule() {
    ObjectNode tree = Golden.tree("RequestAdmitted");
    ((ObjectNode) tree.at("/payload/spec")).putObject("window").put("timeZone", "Mars/Olympus")
        .putArray("days").addObject().put("day", "Caturday").put("start", "22:00").put("end", "06:00");

    assertThatThrownBy(() -> JsonCodec.shared().decode(Golden.bytes(tree)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("window.timeZone")
        .hasMessageContaining("(TimeZone)")
        .hasMessageContaining("window.days[0].day")
        .hasMessageContaining("(Weekday)");
  }
}
