package io.pxops.events.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a campaign spec. Every broken rule is reported (not only the first), each naming
 * its field and rule, so a user fixes a spec in one round.
 *
 * <ul>
 *   <li>{@code name}: required, a DNS-1123 label (it names Kubernetes objects and Kafka keys).
 *   <li>{@code selection.namespaces[i]}: DNS-1123 labels, no duplicates; {@code
 *       selection.matchLabels}: Kubernetes label keys and values; {@code selection.versions}:
 *       versions, {@code atLeast} below {@code below}.
 *   <li>{@code target}: required; an exact target must be a version.
 *   <li>{@code stages}: 1 to {@value #MAX_STAGES}, names unique DNS-1123 labels; {@code size}
 *       required: a count of 1 to {@value #MAX_COUNT}, a percent of 1 to 100, or {@code rest}
 *       (last stage only: a stage after "the rest" would be empty); {@code maxConcurrent} 1 to
 *       {@value #MAX_CONCURRENT}; {@code gate} required, a wait of 1 s to 30 days.
 *   <li>{@code failureBudget}: required; a count of 0 to {@value #MAX_COUNT} or a percent of 0 to
 *       100.
 *   <li>{@code window}: at most {@value #MAX_RANGES} ranges; a date range ends after it starts.
 * </ul>
 */
public final class CampaignSpecValidation {

  /** Most stages a campaign may have. */
  public static final int MAX_STAGES = 20;

  /** Largest count of a stage size or failure budget. */
  public static final int MAX_COUNT = 100_000;

  /** Largest concurrency limit of a stage. */
  public static final int MAX_CONCURRENT = 1_000;

  /** Most day and date ranges a window may have. */
  public static final int MAX_RANGES = 100;

  /** Longest wait gate. */
  public static final Duration MAX_WAIT = Duration.ofDays(30);

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private CampaignSpecValidation() {}

  /**
   * Checks a spec.
   *
   * @param spec the spec (any field may be null)
   * @return every broken rule; empty if the spec is valid
   */
  public static List<Violation> check(CampaignSpec spec) {
    return check(spec, Set.of());
  }

  /**
   * Checks a spec whose reader already reported some fields (so they are not reported twice).
   *
   * @param spec the spec
   * @param reported fields already reported; a null in one of them is not reported again
   * @return every broken rule not yet reported
   */
  static List<Violation> check(CampaignSpec spec, Set<String> reported) {
    Checks c = new Checks(reported);
    if (spec == null) {
      c.required("spec");
      return c.out;
    }
    if (spec.name() == null) {
      c.required("name");
    } else {
      c.dnsLabel("name", spec.name());
    }
    selection(c, spec.selection());
    if (spec.target() == null) {
      c.required("target");
    } else if (spec.target() instanceof Target.Exact exact) {
      c.version("target.version", exact.version());
    }
    stages(c, spec.stages());
    budget(c, spec.failureBudget());
    if (spec.window() instanceof WindowSchedule schedule) {
      window(c, "window", schedule);
    }
    return c.out;
  }

  private static void selection(Checks c, FleetSelection selection) {
    if (selection == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < selection.namespaces().size(); i++) {
      String ns = selection.namespaces().get(i);
      String field = "selection.namespaces[" + i + "]";
      if (c.dnsLabel(field, ns) && !seen.add(ns)) {
        c.add(field, "Unique", "namespace \"" + ns + "\" is listed twice");
      }
    }
    matchLabels("selection.matchLabels", selection.matchLabels(), c.out);
    VersionRange range = selection.versions();
    boolean low = range.atLeast() == null || c.version("selection.versions.atLeast", range.atLeast());
    boolean high = range.below() == null || c.version("selection.versions.below", range.below());
    if (low && high && range.atLeast() != null && range.below() != null
        && Version.of(range.atLeast()).compareTo(Version.of(range.below())) >= 0) {
      c.add(
          "selection.versions",
          "RangeOrder",
          "atLeast " + range.atLeast() + " must be below " + range.below() + ", or no version is selected");
    }
  }

  private static void stages(Checks c, List<StageSpec> stages) {
    if (stages == null) {
      c.required("stages");
      return;
    }
    if (stages.isEmpty() || stages.size() > MAX_STAGES) {
      c.add("stages", "Between", "must have 1 to " + MAX_STAGES + " stages, has " + stages.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < stages.size() && i < MAX_STAGES; i++) {
      String at = "stages[" + i + "]";
      StageSpec stage = stages.get(i);
      if (stage == null) {
        c.required(at);
        continue;
      }
      if (stage.name() == null) {
        c.required(at + ".name");
      } else if (c.dnsLabel(at + ".name", stage.name()) && !names.add(stage.name())) {
        c.add(at + ".name", "Unique", "stage name \"" + stage.name() + "\" is used twice");
      }
      StageSize size = stage.size();
      if (size == null) {
        c.required(at + ".size");
      } else if (size instanceof StageSize.Count count) {
        c.between(at + ".count", count.count(), 1, MAX_COUNT);
      } else if (size instanceof StageSize.Percent percent) {
        c.between(at + ".percent", percent.percent(), 1, 100);
      } else if (i != stages.size() - 1) {
        c.add(at + ".rest", "RestOnlyLast", "only the last stage may take the rest: the stages after it would be empty");
      }
      c.between(at + ".maxConcurrent", stage.maxConcurrent(), 1, MAX_CONCURRENT);
      Gate gate = stage.gate();
      if (gate == null) {
        c.required(at + ".gate");
      } else if (gate instanceof Gate.Wait wait) {
        if (wait.duration() == null
            || wait.duration().compareTo(Duration.ofSeconds(1)) < 0
            || wait.duration().compareTo(MAX_WAIT) > 0) {
          c.add(at + ".wait", "Between", "must be 1s to 720h, is " + wait.duration());
        }
      }
    }
  }

  private static void budget(Checks c, FailureBudget budget) {
    if (budget == null) {
      c.required("failureBudget");
    } else if (budget instanceof FailureBudget.Count count) {
      c.between("failureBudget.count", count.count(), 0, MAX_COUNT);
    } else if (budget instanceof FailureBudget.Percent percent) {
      c.between("failureBudget.percent", percent.percent(), 0, 100);
    }
  }

  static void window(Checks c, String at, WindowSchedule w) {
    if (w.days().size() + w.dates().size() > MAX_RANGES) {
      c.add(at, "TooMany", "at most " + MAX_RANGES + " day and date ranges");
    }
    for (int i = 0; i < w.dates().size(); i++) {
      WindowSchedule.DateRange range = w.dates().get(i);
      if (!range.end().isAfter(range.start())) {
        c.add(
            at + ".dates[" + i + "].end",
            "EndAfterStart",
            "end " + range.end() + " must be after start " + range.start());
      }
    }
  }

  /**
   * Checks a Kubernetes {@code matchLabels}: every key a label key, every value a label value (a selector that
   * breaks them can never match a namespace or database, so it would select nothing, silently).
   *
   * @param field the selector's field path; each label is named as {@code field["key"]}
   * @param labels the labels
   * @param violations where broken rules are added
   */
  public static void matchLabels(String field, Map<String, String> labels, List<Violation> violations) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String at = field + "[" + quote(label.getKey()) + "]";
      if (!labelKey(label.getKey())) {
        violations.add(new Violation(
            at,
            "LabelKey",
            "must be a Kubernetes label key: an optional DNS subdomain prefix and \"/\", then 1-63"
                + " letters, digits, '-', '_' or '.', beginning and ending with a letter or digit"));
      }
      String value = label.getValue();
      if (value == null || !(value.isEmpty() || LABEL_NAME.matcher(value).matches())) {
        violations.add(new Violation(
            at,
            "LabelValue",
            "value "
                + quote(value)
                + " must be empty or 1-63 letters, digits, '-', '_' or '.', beginning and ending"
                + " with a letter or digit"));
      }
    }
  }

  private static boolean labelKey(String key) {
    if (key == null) {
      return false;
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return LABEL_NAME.matcher(name).matches();
  }

  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder("\"");
    for (char ch : shown.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append('"').toString();
  }

  /** The violations found so far. */
  static final class Checks {
    final List<Violation> out = new ArrayList<>();
    private final Set<String> reported;

    Checks(Set<String> reported) {
      this.reported = reported;
    }

    void add(String field, String rule, String message) {
      out.add(new Violation(field, rule, message));
    }

    void required(String field) {
      if (!reported.contains(field)) {
        add(field, "Required", "is required");
      }
    }

    boolean dnsLabel(String field, String value) {
      if (value == null || !DNS_LABEL.matcher(value).matches()) {
        add(
            field,
            "DnsLabel",
            quote(value)
                + " must be a DNS-1123 label: 1-63 lower-case letters, digits or '-', beginning and"
                + " ending with a letter or digit");
        return false;
      }
      return true;
    }

    boolean version(String field, String value) {
      if (Version.parse(value).isEmpty()) {
        add(field, "Version", quote(value) + " is not a version (like 8.0.40 or 10.11.19)");
        return false;
      }
      return true;
    }

    void between(String field, long value, long min, long max) {
      if (value < min || value > max) {
        add(field, "Between", "must be " + min + " to " + max + ", is " + value);
      }
    }
  }
}
