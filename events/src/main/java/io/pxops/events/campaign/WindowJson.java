package io.pxops.events.campaign;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A maintenance window on the wire, in the campaign spec's {@code window} shape (read by {@link
 * CampaignSpecJson#readWindow}, so both doors and the log share one reader and one set of rules):
 *
 * <pre>
 * {"timeZone": "Europe/Berlin",
 *  "days":  [{"day": "Saturday", "start": "22:00", "end": "06:00"}],
 *  "dates": [{"start": "2026-12-24T20:00", "end": "2026-12-25T06:00"}]}
 * </pre>
 *
 * <p>An intersection of windows (a campaign member's own, its namespaces' and its campaign's) is a
 * list of such objects, open when every one is. No window ({@link MaintenanceWindow#ALWAYS}) is
 * written as nothing.
 */
public final class WindowJson {

  private WindowJson() {}

  /**
   * Writes a window.
   *
   * @param window a window built from schedules (or {@link MaintenanceWindow#ALWAYS})
   * @return an object for one schedule, a list for an intersection; {@code null} for always open
   * @throws IllegalArgumentException for a window of another kind, which has no wire form
   */
  public static JsonNode write(MaintenanceWindow window) {
    List<WindowSchedule> parts = schedules(window);
    if (parts.isEmpty()) {
      return null;
    }
    if (parts.size() == 1) {
      return schedule(parts.get(0));
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    parts.forEach(p -> list.add(schedule(p)));
    return list;
  }

  /**
   * Reads a window: one object, or a list of objects (all must be open).
   *
   * @param node the JSON, or null
   * @param field the field path to name in violations
   * @param violations where broken rules are added
   * @return the window; {@link MaintenanceWindow#ALWAYS} if none is given, or if it is invalid
   *     (then {@code violations} says why)
   */
  public static MaintenanceWindow read(JsonNode node, String field, List<Violation> violations) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return MaintenanceWindow.ALWAYS;
    }
    if (!node.isArray()) {
      return CampaignSpecJson.readWindow(node, field, violations);
    }
    if (node.isEmpty() || node.size() > CampaignSpecValidation.MAX_RANGES) {
      violations.add(
          new Violation(field, "Between", "must list 1 to " + CampaignSpecValidation.MAX_RANGES
              + " windows, lists " + node.size()));
      return MaintenanceWindow.ALWAYS;
    }
    int before = violations.size();
    List<MaintenanceWindow> parts = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      parts.add(CampaignSpecJson.readWindow(node.get(i), field + "[" + i + "]", violations));
    }
    return violations.size() > before ? MaintenanceWindow.ALWAYS : MaintenanceWindow.allOf(parts);
  }

  private static List<WindowSchedule> schedules(MaintenanceWindow window) {
    if (window == null || window == MaintenanceWindow.ALWAYS) {
      return List.of();
    }
    if (window instanceof WindowSchedule schedule) {
      return List.of(schedule);
    }
    if (window instanceof MaintenanceWindow.Intersection intersection) {
      return intersection.parts().stream()
          .flatMap(p -> schedules(p).stream())
          .collect(Collectors.toList());
    }
    throw new IllegalArgumentException("a window of type " + window.getClass().getName() + " has no JSON form");
  }

  private static ObjectNode schedule(WindowSchedule w) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("timeZone", w.zone().getId());
    if (!w.days().isEmpty()) {
      ArrayNode days = out.putArray("days");
      for (WindowSchedule.DayRange d : w.days()) {
        String day = d.day().name();
        days.addObject()
            .put("day", day.charAt(0) + day.substring(1).toLowerCase(Locale.ROOT))
            .put("start", d.start().toString())
            .put("end", d.end().toString());
      }
    }
    if (!w.dates().isEmpty()) {
      ArrayNode dates = out.putArray("dates");
      for (WindowSchedule.DateRange d : w.dates()) {
        dates.addObject().put("start", d.start().toString()).put("end", d.end().toString());
      }
    }
    return out;
  }

  /** Jackson's writer of a window field: {@link #write}. */
  public static final class Serializer extends JsonSerializer<MaintenanceWindow> {
    @Override
    public void serialize(MaintenanceWindow value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      JsonNode node = write(value);
      if (node == null) {
        gen.writeNull();
      } else {
        gen.writeTree(node);
      }
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, MaintenanceWindow value) {
      return value == null || value == MaintenanceWindow.ALWAYS;
    }
  }

  /**
   * Jackson's reader of a window field: {@link #read}; a window that breaks a rule fails the read
   * with every violation (field and rule) in the message, as a bad record must not run unwindowed.
   */
  public static final class Deserializer extends JsonDeserializer<MaintenanceWindow> {
    @Override
    public MaintenanceWindow deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = ctxt.readTree(p);
      List<Violation> violations = new ArrayList<>();
      MaintenanceWindow window = read(node, "window", violations);
      if (!violations.isEmpty()) {
        return ctxt.reportInputMismatch(
            MaintenanceWindow.class,
            "%s",
            violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
      }
      return window == MaintenanceWindow.ALWAYS ? null : window;
    }

    @Override
    public MaintenanceWindow getNullValue(DeserializationContext ctxt) {
      return null;
    }
  }
}
