package io.pxops.events.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a campaign spec from its JSON (or YAML, read into the same tree) form, the one the
 * campaign custom resource's {@code spec}, the HTTP door and {@code pxops plan -f} take:
 *
 * <pre>
 * name: px-8-4
 * selection:
 *   namespaces: [shop, billing]
 *   matchLabels: {tier: gold}
 *   versions: {atLeast: "8.0.0", below: "8.4.0"}
 * target: {version: "8.4.3"}            # or {newestAllowed: true}
 * stages:
 *   - {name: canary, count: 1, maxConcurrent: 1}
 *   - {name: early, percent: 10, maxConcurrent: 5, wait: 30m}
 *   - {name: rest, rest: true, maxConcurrent: 20, approval: true}
 * failureBudget: {count: 2}             # or {percent: 5}
 * window:
 *   timeZone: Europe/Berlin
 *   days:  [{day: Saturday, start: "22:00", end: "04:00"}]
 *   dates: [{start: "2026-12-24T20:00", end: "2026-12-25T06:00"}]
 * </pre>
 *
 * <p>A stage's size is exactly one of {@code count}, {@code percent}, {@code rest: true}; its gate
 * at most one of {@code wait} (a Kubernetes-style duration: {@code 90s}, {@code 30m}, {@code
 * 1h30m}) and {@code approval: true}. Unknown fields are refused (a typo must not be ignored).
 * Every problem is reported with its field and rule, together with {@link
 * CampaignSpecValidation}'s; the reader never throws on any input.
 */
public final class CampaignSpecJson {

  private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private CampaignSpecJson() {}

  /**
   * What reading gave.
   *
   * @param spec the spec, or null if there is any violation
   * @param violations every broken rule
   */
  public record Result(CampaignSpec spec, List<Violation> violations) {
    /** Copies the violations. */
    public Result {
      violations = List.copyOf(violations);
    }
  }

  /**
   * Reads and checks a spec.
   *
   * @param root the spec's JSON tree
   * @return the spec if valid, else every violation
   */
  public static Result read(JsonNode root) {
    Reader r = new Reader();
    CampaignSpec spec = r.spec(root);
    List<Violation> all = new ArrayList<>(r.checks.out);
    all.addAll(CampaignSpecValidation.check(spec, r.reported));
    return new Result(all.isEmpty() ? spec : null, all);
  }

  /**
   * Reads a maintenance window in the spec's {@code window} form (for fleet listings: a
   * database's or a namespace's window).
   *
   * @param node the window's JSON, or null
   * @param field the field path to name in violations
   * @param violations where broken rules are added
   * @return the window; {@link MaintenanceWindow#ALWAYS} if none is given or it is invalid
   */
  public static MaintenanceWindow readWindow(JsonNode node, String field, List<Violation> violations) {
    Reader r = new Reader();
    MaintenanceWindow w = r.window(node, field);
    if (w instanceof WindowSchedule schedule) {
      CampaignSpecValidation.window(r.checks, field, schedule);
    }
    violations.addAll(r.checks.out);
    return w == null || !r.checks.out.isEmpty() ? MaintenanceWindow.ALWAYS : w;
  }

  /** Parses a duration such as {@code 90s}, {@code 30m}, {@code 1h30m}; null if it is not one. */
  static Duration duration(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long min = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    long s = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return Duration.ofHours(h).plusMinutes(min).plusSeconds(s);
  }

  private static final class Reader {
    final CampaignSpecValidation.Checks checks = new CampaignSpecValidation.Checks(Set.of());
    final Set<String> reported = new HashSet<>();

    void bad(String field, String rule, String message) {
      reported.add(field);
      checks.add(field, rule, message);
    }

    boolean object(JsonNode node, String field, Set<String> known) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return false;
      }
      if (!node.isObject()) {
        bad(field, "Type", "must be an object");
        return false;
      }
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!known.contains(name)) {
          String shown = SIMPLE_NAME.matcher(name).matches() ? name : CampaignSpecValidation.quote(name);
          bad(
              (field.isEmpty() ? "" : field + ".") + shown,
              "Unknown",
              "is not a field here; known: " + String.join(", ", new java.util.TreeSet<>(known)));
        }
      }
      return true;
    }

    String text(JsonNode node, String field) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return null;
      }
      if (!node.isTextual()) {
        bad(field, "Type", "must be a string");
        return null;
      }
      return node.textValue();
    }

    Integer integer(JsonNode node, String field) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        bad(field, "Type", "must be a whole number");
        return null;
      }
      return node.intValue();
    }

    boolean flag(JsonNode node, String field) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return false;
      }
      if (!node.isBoolean()) {
        bad(field, "Type", "must be true or false");
        return false;
      }
      return node.booleanValue();
    }

    CampaignSpec spec(JsonNode root) {
      if (!object(root, "", Set.of("name", "selection", "target", "stages", "failureBudget", "window"))) {
        if (root == null || root.isNull() || root.isMissingNode()) {
          bad("spec", "Required", "is required");
        }
        return null;
      }
      return new CampaignSpec(
          text(root.get("name"), "name"),
          selection(root.get("selection")),
          target(root.get("target")),
          stages(root.get("stages")),
          budget(root.get("failureBudget")),
          window(root.get("window"), "window"));
    }

    FleetSelection selection(JsonNode node) {
      if (!object(node, "selection", Set.of("namespaces", "matchLabels", "versions"))) {
        return null;
      }
      List<String> namespaces = new ArrayList<>();
      JsonNode ns = node.get("namespaces");
      if (ns != null && !ns.isNull()) {
        if (!ns.isArray()) {
          bad("selection.namespaces", "Type", "must be a list");
        } else {
          for (int i = 0; i < ns.size(); i++) {
            String n = text(ns.get(i), "selection.namespaces[" + i + "]");
            namespaces.add(n == null ? "" : n);
          }
        }
      }
      Map<String, String> labels = new LinkedHashMap<>();
      JsonNode ml = node.get("matchLabels");
      if (ml != null && !ml.isNull()) {
        if (!ml.isObject()) {
          bad("selection.matchLabels", "Type", "must be an object of label: value");
        } else {
          ml.properties()
              .forEach(
                  e -> {
                    String v =
                        text(
                            e.getValue(),
                            "selection.matchLabels[" + CampaignSpecValidation.quote(e.getKey()) + "]");
                    labels.put(e.getKey(), v == null ? "" : v);
                  });
        }
      }
      VersionRange versions = VersionRange.ANY;
      JsonNode v = node.get("versions");
      if (object(v, "selection.versions", Set.of("atLeast", "below"))) {
        versions =
            new VersionRange(
                text(v.get("atLeast"), "selection.versions.atLeast"),
                text(v.get("below"), "selection.versions.below"));
      }
      return new FleetSelection(namespaces, labels, versions);
    }

    Target target(JsonNode node) {
      if (!object(node, "target", Set.of("version", "newestAllowed"))) {
        return null;
      }
      String version = text(node.get("version"), "target.version");
      boolean newest = flag(node.get("newestAllowed"), "target.newestAllowed");
      if ((version != null) == newest) {
        bad("target", "OneOf", "must have exactly one of version and newestAllowed: true");
        return null;
      }
      return newest ? new Target.NewestAllowed() : new Target.Exact(version);
    }

    List<StageSpec> stages(JsonNode node) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isArray()) {
        bad("stages", "Type", "must be a list");
        return null;
      }
      List<StageSpec> stages = new ArrayList<>();
      for (int i = 0; i < node.size() && i <= CampaignSpecValidation.MAX_STAGES; i++) {
        stages.add(stage(node.get(i), "stages[" + i + "]"));
      }
      // more than the maximum: keep the count right for the rule without reading them all
      for (int i = stages.size(); i < node.size(); i++) {
        stages.add(null);
        reported.add("stages[" + i + "]");
      }
      return stages;
    }

    StageSpec stage(JsonNode node, String at) {
      if (!object(
          node, at, Set.of("name", "count", "percent", "rest", "maxConcurrent", "wait", "approval"))) {
        return null;
      }
      Integer count = integer(node.get("count"), at + ".count");
      Integer percent = integer(node.get("percent"), at + ".percent");
      boolean rest = flag(node.get("rest"), at + ".rest");
      int sizes = (node.hasNonNull("count") ? 1 : 0) + (node.hasNonNull("percent") ? 1 : 0) + (rest ? 1 : 0);
      StageSize size = null;
      if (sizes != 1) {
        bad(at + ".size", "OneOf", "must have exactly one of count, percent and rest: true");
      } else if (count != null) {
        size = new StageSize.Count(count);
      } else if (percent != null) {
        size = new StageSize.Percent(percent);
      } else if (rest) {
        size = new StageSize.Rest();
      } else {
        reported.add(at + ".size");
      }
      Integer max = integer(node.get("maxConcurrent"), at + ".maxConcurrent");
      if (max == null && !reported.contains(at + ".maxConcurrent")) {
        bad(at + ".maxConcurrent", "Required", "is required");
      }
      String waitText = text(node.get("wait"), at + ".wait");
      boolean approval = flag(node.get("approval"), at + ".approval");
      Gate gate = new Gate.None();
      if (waitText != null && approval) {
        bad(at + ".gate", "OneOf", "must have at most one of wait and approval: true");
        gate = null;
      } else if (waitText != null) {
        Duration d = duration(waitText);
        if (d == null) {
          bad(at + ".wait", "Duration", CampaignSpecValidation.quote(waitText) + " is not a duration like 90s, 30m or 1h30m");
          gate = null;
        } else {
          gate = new Gate.Wait(d);
        }
      } else if (approval) {
        gate = new Gate.Approval();
      }
      if (gate == null) {
        reported.add(at + ".gate");
      }
      return new StageSpec(text(node.get("name"), at + ".name"), size, max == null ? 1 : max, gate);
    }

    FailureBudget budget(JsonNode node) {
      if (!object(node, "failureBudget", Set.of("count", "percent"))) {
        return null;
      }
      Integer count = integer(node.get("count"), "failureBudget.count");
      Integer percent = integer(node.get("percent"), "failureBudget.percent");
      if (node.hasNonNull("count") == node.hasNonNull("percent")) {
        bad("failureBudget", "OneOf", "must have exactly one of count and percent");
        return null;
      }
      if (count != null) {
        return new FailureBudget.Count(count);
      }
      if (percent != null) {
        return new FailureBudget.Percent(percent);
      }
      reported.add("failureBudget");
      return null;
    }

    MaintenanceWindow window(JsonNode node, String at) {
      if (!object(node, at, Set.of("timeZone", "days", "dates"))) {
        return null;
      }
      String zoneText = text(node.get("timeZone"), at + ".timeZone");
      ZoneId zone = null;
      if (zoneText == null) {
        if (!reported.contains(at + ".timeZone")) {
          bad(at + ".timeZone", "Required", "is required (an IANA zone such as Europe/Berlin, or UTC)");
        }
      } else {
        try {
          zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
          bad(at + ".timeZone", "TimeZone", CampaignSpecValidation.quote(zoneText) + " is not an IANA time zone (such as Europe/Berlin, or UTC)");
        }
      }
      List<WindowSchedule.DayRange> days = new ArrayList<>();
      JsonNode d = node.get("days");
      if (d != null && !d.isNull()) {
        if (!d.isArray()) {
          bad(at + ".days", "Type", "must be a list");
        } else {
          for (int i = 0; i < d.size() && i <= CampaignSpecValidation.MAX_RANGES; i++) {
            String f = at + ".days[" + i + "]";
            JsonNode r = d.get(i);
            if (!object(r, f, Set.of("day", "start", "end"))) {
              if (r == null || r.isNull()) {
                bad(f, "Required", "is required");
              }
              continue;
            }
            DayOfWeek day = day(text(r.get("day"), f + ".day"), f + ".day");
            LocalTime start = time(text(r.get("start"), f + ".start"), f + ".start");
            LocalTime end = time(text(r.get("end"), f + ".end"), f + ".end");
            if (day != null && start != null && end != null) {
              days.add(new WindowSchedule.DayRange(day, start, end));
            }
          }
        }
      }
      List<WindowSchedule.DateRange> dates = new ArrayList<>();
      JsonNode t = node.get("dates");
      if (t != null && !t.isNull()) {
        if (!t.isArray()) {
          bad(at + ".dates", "Type", "must be a list");
        } else {
          for (int i = 0; i < t.size() && i <= CampaignSpecValidation.MAX_RANGES; i++) {
            String f = at + ".dates[" + i + "]";
            JsonNode r = t.get(i);
            if (!object(r, f, Set.of("start", "end"))) {
              if (r == null || r.isNull()) {
                bad(f, "Required", "is required");
              }
              continue;
            }
            LocalDateTime start = dateTime(text(r.get("start"), f + ".start"), f + ".start");
            LocalDateTime end = dateTime(text(r.get("end"), f + ".end"), f + ".end");
            if (start != null && end != null) {
              dates.add(new WindowSchedule.DateRange(start, end));
            }
          }
        }
      }
      if (zone == null) {
        return null;
      }
      int ranges = (d != null && d.isArray() ? d.size() : 0) + (t != null && t.isArray() ? t.size() : 0);
      if (ranges > CampaignSpecValidation.MAX_RANGES) {
        bad(at, "TooMany", "at most " + CampaignSpecValidation.MAX_RANGES + " day and date ranges");
        return null;
      }
      return new WindowSchedule(zone, days, dates);
    }

    DayOfWeek day(String text, String field) {
      return parsed(text, field, t -> DayOfWeek.valueOf(t.toUpperCase(Locale.ROOT)), "Weekday",
          "is not a weekday (Monday to Sunday)");
    }

    LocalTime time(String text, String field) {
      return parsed(text, field, LocalTime::parse, "TimeOfDay",
          "is not a time of day HH:MM or HH:MM:SS (00:00 to 23:59:59)");
    }

    LocalDateTime dateTime(String text, String field) {
      return parsed(text, field, LocalDateTime::parse, "DateTime",
          "is not a local date-time YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS");
    }

    /**
     * A required text parsed by {@code parser}; null, with the field reported once, when it is missing or does not
     * parse ({@code rule} and "{@code "text"} {@code problem}").
     */
    private <T> T parsed(String text, String field, java.util.function.Function<String, T> parser, String rule,
        String problem) {
      if (text == null) {
        if (!reported.contains(field)) {
          bad(field, "Required", "is required");
        }
        return null;
      }
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        bad(field, rule, CampaignSpecValidation.quote(text) + " " + problem);
        return null;
      }
    }
  }
}
