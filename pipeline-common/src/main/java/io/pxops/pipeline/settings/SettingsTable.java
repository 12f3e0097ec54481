package io.pxops.pipeline.settings;

import io.pxops.pipeline.settings.PxopsSettings.Family;
import io.pxops.pipeline.settings.Setting.Program;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The README's settings table, generated from {@link PxopsSettings}: one row per declaration (a name read by two
 * programs with different defaults, such as {@code PXOPS_HTTP_PORT}, has a row for each). {@code SettingsTableTest}
 * fails when the README's copy differs, and rewrites it when run with {@code -Dpxops.writeReadme=true}.
 */
public final class SettingsTable {

  /** The line before the table in the README. */
  public static final String BEGIN = "<!-- settings table: generated from PxopsSettings, checked by SettingsTableTest -->";
  /** The line after it. */
  public static final String END = "<!-- end of settings table -->";

  private SettingsTable() {
  }

  /** Prints the table. */
  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** The table in markdown, each line ending in a newline. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("| setting | default | read by | a value must be | what it does |\n");
    b.append("|---|---|---|---|---|\n");
    for (Setting<?> s : PxopsSettings.ALL) {
      String dflt = s.defaultNote() != null ? s.defaultNote() : s.defaultValue() == null ? ""
          : "`" + s.defaultValue() + "`";
      row(b, "`" + s.name() + "`", dflt, s.readBy(), s.rule(), s.description());
    }
    for (Family f : PxopsSettings.FAMILIES) {
      row(b, "`" + f.shownName() + "`", "", f.readBy(), "a Kafka client setting's value", f.description());
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, String dflt, Set<Program> readBy, String rule,
      String description) {
    b.append("| ").append(name).append(" | ").append(cell(dflt)).append(" | ").append(readers(readBy)).append(" | ")
        .append(cell(rule)).append(" | ").append(cell(description)).append(" |\n");
  }

  private static String readers(Set<Program> readBy) {
    Set<Program> rest = EnumSet.copyOf(readBy);
    String prefix = "";
    if (rest.containsAll(Program.SERVICES)) {
      rest.removeAll(Program.SERVICES);
      prefix = "every service";
    }
    String others = rest.stream().map(Program::label).collect(Collectors.joining(", "));
    return prefix.isEmpty() ? others : others.isEmpty() ? prefix : prefix + ", " + others;
  }

  /** A markdown table cell: a '|' would end it. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
