package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Reading and checking a campaign spec: a full valid spec reads into the right model; each bad
 * field is reported with its field and rule; hostile values anywhere never make the reader throw,
 * and are always reported at (or above) the field they were put in.
 */
class CampaignSpecJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static final String VALID =
      """
      {"name": "px-8-4",
       "selection": {"namespaces": ["shop", "billing"], "matchLabels": {"tier": "gold", "app.kubernetes.io/part-of": "px"},
                     "versions": {"atLeast": "8.0.0", "below": "8.4.0"}},
       "target": {"version": "8.4.3"},
       "stages": [{"name": "canary", "count": 1, "maxConcurrent": 1},
                  {"name": "early", "percent": 10, "maxConcurrent": 5, "wait": "1h30m"},
                  {"name": "rest", "rest": true, "maxConcurrent": 20, "approval": true}],
       "failureBudget": {"percent": 5},
       "window": {"timeZone": "Europe/Berlin",
                  "days": [{"day": "Saturday", "start": "22:00", "end": "04:00"}],
                  "dates": [{"start": "2026-12-24T20:00", "end": "2026-12-25T06:00"}]}}
      """;

  private static ObjectNode valid() {
    try {
      return (ObjectNode) JSON.readTree(VALID);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void givenAFullValidSpec_whenRead_thenEveryFieldIsInTheModel() {
    CampaignSpecJson.Result result = CampaignSpecJson.read(valid());

    assertThat(result.violations()).isEmpty();
    CampaignSpec spec = result.spec();
    assertThat(spec.name()).isEqualTo("px-8-4");
    assertThat(spec.selection().namespaces()).containsExactly("shop", "billing");
    assertThat(spec.selection().matchLabels()).containsEntry("tier", "gold");
    assertThat(spec.selection().versions()).isEqualTo(new VersionRange("8.0.0", "8.4.0"));
    assertThat(spec.target()).isEqualTo(new Target.Exact("8.4.3"));
    assertThat(spec.stages())
        .containsExactly(
            new StageSpec("canary", new StageSize.Count(1), 1, new Gate.None()),
            new StageSpec("early", new StageSize.Percent(10), 5, new Gate.Wait(Duration.ofMinutes(90))),
            new StageSpec("rest", new StageSize.Rest(), 20, new Gate.Approval()));
    assertThat(spec.failureBudget()).isEqualTo(new FailureBudget.Percent(5));
    WindowSchedule window = (WindowSchedule) spec.window();
    assertThat(window.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(window.days())
        .containsExactly(
            new WindowSchedule.DayRange(DayOfWeek.SATURDAY, LocalTime.of(22, 0), LocalTime.of(4, 0)));
    assertThat(window.dates()).hasSize(1);
  }

  /**
   * Ranges to the second: a window that opens and closes within a minute (what a test on real
   * processes, which cannot move their clock, needs) is read, written back and judged to the
   * second, not truncated to the minute; a value that does not parse says seconds are allowed.
   */
  @Test
  void givenRangesWithSeconds_whenReadAndWrittenBack_thenOpenAndCloseToTheSecond() throws Exception {
    List<Violation> violations = new java.util.ArrayList<>();
    MaintenanceWindow window =
        WindowJson.read(
            JSON.readTree(
                """
                {"timeZone": "UTC",
                 "days": [{"day": "Tuesday", "start": "17:00:10", "end": "17:00:40"}],
                 "dates": [{"start": "2026-12-01T18:00:30", "end": "2026-12-01T18:00:45"}]}
                """),
            "window",
            violations);

    assertThat(violations).isEmpty();
    java.time.Instant dayOpens = java.time.Instant.parse("2026-12-01T17:00:10Z");
    java.time.Instant dateOpens = java.time.Instant.parse("2026-12-01T18:00:30Z");
    assertThat(window.isOpenAt(dayOpens.minusSeconds(1))).isFalse();
    assertThat(window.isOpenAt(dayOpens)).isTrue();
    assertThat(window.isOpenAt(dayOpens.plusSeconds(29))).isTrue();
    assertThat(window.isOpenAt(dayOpens.plusSeconds(30))).as("closed at its end").isFalse();
    assertThat(window.nextOpening(dayOpens.plusSeconds(30))).contains(dateOpens);
    assertThat(window.isOpenAt(dateOpens.plusSeconds(15))).isFalse();
    MaintenanceWindow again = WindowJson.read(WindowJson.write(window), "window", violations);
    assertThat(violations).isEmpty();
    assertThat(again).as("written back to the second").isEqualTo(window);

    ObjectNode spec = valid();
    set(spec, "window.dates[0].start", JSON.readTree("\"2026-12-24 20:00\""));
    set(spec, "window.days[0].end", JSON.readTree("\"4 o'clock\""));
    assertThat(CampaignSpecJson.read(spec).violations())
        .extracting(Violation::message)
        .anySatisfy(m -> assertThat(m).contains("YYYY-MM-DDTHH:MM:SS"))
        .anySatisfy(m -> assertThat(m).contains("HH:MM:SS"));
  }

  @ParameterizedTest(name = "[{index}] {0} = {1} -> {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name                          | \"Px_8\"              | name                             | DnsLabel",
        "name                          | null                  | name                             | Required",
        "name                          | 7                     | name                             | Type",
        "colour                        | \"red\"               | colour                           | Unknown",
        "selection.namespaces          | [\"a\", \"a\"]        | selection.namespaces[1]          | Unique",
        "selection.namespaces          | [\"-a\"]              | selection.namespaces[0]          | DnsLabel",
        "selection.matchLabels         | {\"bad key!\": \"x\"} | selection.matchLabels[\"bad key!\"] | LabelKey",
        "selection.matchLabels         | {\"k\": \"-x\"}       | selection.matchLabels[\"k\"]     | LabelValue",
        "selection.versions.atLeast    | \"eight\"             | selection.versions.atLeast       | Version",
        "selection.versions.atLeast    | \"9.0\"               | selection.versions               | RangeOrder",
        "target                        | {}                    | target                           | OneOf",
        "target                        | {\"version\": \"8.4.3\", \"newestAllowed\": true} | target | OneOf",
        "target.version                | \"latest\"            | target.version                   | Version",
        "stages                        | []                    | stages                           | Between",
        "stages                        | null                  | stages                           | Required",
        "stages[0].count               | 0                     | stages[0].count                  | Between",
        "stages[0].count               | 1.5                   | stages[0].count                  | Type",
        "stages[1].percent             | 101                   | stages[1].percent                | Between",
        "stages[0].rest                | true                  | stages[0].size                   | OneOf",
        "stages[1].name                | \"canary\"            | stages[1].name                   | Unique",
        "stages[0].maxConcurrent       | 0                     | stages[0].maxConcurrent          | Between",
        "stages[0].maxConcurrent       | 1001                  | stages[0].maxConcurrent          | Between",
        "stages[0].maxConcurrent       | null                  | stages[0].maxConcurrent          | Required",
        "stages[1].wait                | \"soon\"              | stages[1].wait                   | Duration",
        "stages[1].wait                | \"0s\"                | stages[1].wait                   | Between",
        "stages[1].wait                | \"721h\"              | stages[1].wait                   | Between",
        "stages[1].approval            | true                  | stages[1].gate                   | OneOf",
        "failureBudget                 | {\"count\": 1, \"percent\": 1} | failureBudget           | OneOf",
        "failureBudget                 | {\"count\": -1}       | failureBudget.count              | Between",
        "failureBudget                 | null                  | failureBudget                    | Required",
        "window.timeZone               | \"Mars/Olympus\"      | window.timeZone                  | TimeZone",
        "window.timeZone               | null                  | window.timeZone                  | Required",
        "window.days[0].day            | \"Caturday\"          | window.days[0].day               | Weekday",
        "window.days[0].start          | \"24:00\"             | window.days[0].start             | TimeOfDay",
        "window.dates[0].end           | \"2026-12-24T19:00\"  | window.dates[0].end              | EndAfterStart",
        "window.dates[0].start         | \"Christmas\"         | window.dates[0].start            | DateTime",
      })
  void givenOneBadField_whenRead_thenItIsNamedWithItsRule(
      String path, String value, String field, String rule) throws Exception {
    ObjectNode spec = valid();
    set(spec, path, JSON.readTree(value));

    CampaignSpecJson.Result result = CampaignSpecJson.read(spec);

    assertThat(result.spec()).isNull();
    assertThat(result.violations()).contains(violation(result, field, rule));
    assertThat(result.violations()).as("only that field is reported").hasSize(1);
  }

  private static Violation violation(CampaignSpecJson.Result result, String field, String rule) {
    return result.violations().stream()
        .filter(v -> v.field().equals(field) && v.rule().equals(rule))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + field + " " + rule + " in " + result.violations()));
  }

  @Test
  void givenATypedSpecWithRestBeforeTheLastStage_whenChecked_thenTheRuleIsNamed() {
    CampaignSpec spec =
        new CampaignSpec(
            "c",
            null,
            new Target.NewestAllowed(),
            List.of(
                new StageSpec("a", new StageSize.Rest(), 1, new Gate.None()),
                new StageSpec("b", new StageSize.Count(1), 1, new Gate.None())),
            new FailureBudget.Count(0),
            null);

    assertThat(CampaignSpecValidation.check(spec))
        .containsExactly(
            new Violation(
                "stages[0].rest",
                "RestOnlyLast",
                "only the last stage may take the rest: the stages after it would be empty"));
  }

  @Test
  void givenNoSpecAtAll_whenRead_thenTheSpecIsRequired() {
    assertThat(CampaignSpecJson.read(null).violations())
        .extracting(Violation::field, Violation::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("spec", "Required"));
  }

  // ---- hostile values ----------------------------------------------------------------------

  private static final List<String> PATHS =
      List.of(
          "name", "selection", "selection.namespaces", "selection.namespaces[0]",
          "selection.matchLabels", "selection.matchLabels.tier", "selection.versions",
          "selection.versions.atLeast", "selection.versions.below", "target", "target.version",
          "target.newestAllowed", "stages", "stages[0]", "stages[0].name", "stages[0].count",
          "stages[1].percent", "stages[2].rest", "stages[1].maxConcurrent", "stages[1].wait",
          "stages[2].approval", "failureBudget", "failureBudget.percent", "window",
          "window.timeZone", "window.days", "window.days[0]", "window.days[0].day",
          "window.days[0].start", "window.days[0].end", "window.dates", "window.dates[0].start",
          "window.dates[0].end");

  @Provide
  Arbitrary<JsonNode> hostile() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> strings =
        Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of(
                    "", " ", "\u0000", "-", "8.4.3\n", "v", "99999999999.1", "1h-5m", "-1s", "25:61",
                    "2026-02-30T10:00", "Etc/GMT+99", "../../etc/passwd", "${jndi:ldap://x}",
                    "Monday ", "ÄÖÜ", "a".repeat(70)))
            .map(f::textNode);
    Arbitrary<JsonNode> numbers =
        Arbitraries.oneOf(
            Arbitraries.integers().map(f::numberNode),
            Arbitraries.longs().map(f::numberNode),
            Arbitraries.doubles().map(f::numberNode));
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(strings, numbers, Arbitraries.of(f.nullNode(), f.booleanNode(true), f.booleanNode(false)));
    Arbitrary<JsonNode> arrays =
        scalars.list().ofMaxSize(30).map(l -> { ArrayNode a = f.arrayNode(); l.forEach(a::add); return a; });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(Arbitraries.of("name", "count", "x", "start", "day", "version", "").injectDuplicates(0.3), scalars)
            .ofMaxSize(5)
            .map(m -> { ObjectNode o = f.objectNode(); m.forEach(o::set); return o; });
    return Arbitraries.oneOf(scalars, arrays, objects);
  }

  @Property
  void givenAHostileValueAnywhere_whenRead_thenItNeverThrowsAndTheFieldOrAParentIsNamed(
      @ForAll("hostileAt") Map.Entry<String, JsonNode> change) {
    ObjectNode spec = valid();
    JsonNode before = spec.deepCopy();
    set(spec, change.getKey(), change.getValue());

    CampaignSpecJson.Result result = CampaignSpecJson.read(spec);

    assertThat(result.spec() == null).isEqualTo(!result.violations().isEmpty());
    for (Violation v : result.violations()) {
      assertThat(v.field()).isNotBlank();
      assertThat(v.rule()).matches("[A-Za-z]+");
      assertThat(v.message()).isNotBlank().doesNotContain("\u0000");
    }
    if (!spec.equals(before) && !result.violations().isEmpty()) {
      String root = change.getKey().replaceAll("[.\\[].*", "");
      assertThat(result.violations())
          .as("a violation at or under " + root)
          .anyMatch(v -> v.field().startsWith(root));
    }
  }

  @Property(tries = 100)
  void givenAHostileFleetListing_whenRead_thenItNeverThrows(
      @ForAll("hostile") JsonNode databases, @ForAll("hostile") JsonNode windows, @ForAll("hostile") JsonNode catalog) {
    ObjectNode listing = JsonNodeFactory.instance.objectNode();
    listing.set("databases", databases);
    listing.set("namespaceWindows", windows);
    listing.set("catalog", catalog);
    listing.set("namespaces", windows);
    List<Violation> violations = new java.util.ArrayList<>();

    FleetListing read = FleetListing.read(listing, violations);

    assertThat(read.databases()).allMatch(d -> Version.parse(d.currentVersion()).isPresent());
    assertThat(violations).allMatch(v -> !v.field().isBlank());
  }

  @Provide
  Arbitrary<Map.Entry<String, JsonNode>> hostileAt() {
    return net.jqwik.api.Combinators.combine(Arbitraries.of(PATHS), hostile()).as(Map::entry);
  }

  private static final Pattern STEP = Pattern.compile("([^.\\[]+)(?:\\[(\\d+)])?");

  /** Sets {@code path} (dots and [i]) to {@code value}, creating nothing: a missing parent is left. */
  static void set(ObjectNode root, String path, JsonNode value) {
    String[] steps = path.split("\\.");
    JsonNode node = root;
    for (int s = 0; s < steps.length; s++) {
      Matcher m = STEP.matcher(steps[s]);
      if (!m.matches() || !(node instanceof ObjectNode obj)) {
        return;
      }
      boolean last = s == steps.length - 1;
      if (m.group(2) == null) {
        if (last) {
          obj.set(m.group(1), value);
          return;
        }
        node = obj.get(m.group(1));
      } else {
        JsonNode arr = obj.get(m.group(1));
        int i = Integer.parseInt(m.group(2));
        if (!(arr instanceof ArrayNode a) || i >= a.size()) {
          return;
        }
        if (last) {
          a.set(i, value);
          return;
        }
        node = a.get(i);
      }
    }
  }
}
