package io.pxops.pipeline.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.pipeline.settings.PxopsSettings.Family;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table is the one {@link SettingsTable} generates from the declarations, and the README names
 * no {@code PXOPS_*} setting that nobody declares. Without it the README's tables left settings out and showed
 * defaults in the old syntax. To regenerate the table after changing a declaration:
 * {@code ./mvnw -pl pipeline-common -am verify -Dtest=SettingsTableTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dpxops.writeReadme=true}.
 */
class SettingsTableTest {

  private static final Pattern NAME = Pattern.compile("PXOPS_[A-Z0-9_]*");

  @Test
  void theReadmesSettingsTableIsTheGeneratedOne() throws IOException {
    Path readme = readme();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(SettingsTable.BEGIN + "\n");
    int end = text.indexOf(SettingsTable.END);
    assertThat(begin).as("README has the line " + SettingsTable.BEGIN).isNotNegative();
    assertThat(end).as("README has the line " + SettingsTable.END).isGreaterThan(begin);
    String inReadme = text.substring(begin + SettingsTable.BEGIN.length() + 1, end);
    String generated = SettingsTable.markdown();
    if (!inReadme.equals(generated) && Boolean.getBoolean("pxops.writeReadme")) {
      Files.writeString(readme, text.substring(0, begin + SettingsTable.BEGIN.length() + 1) + generated
          + text.substring(end), StandardCharsets.UTF_8);
      return;
    }
    Files.writeString(Path.of("target", "settings-table.md"), generated, StandardCharsets.UTF_8);
    assertThat(inReadme).as("the README's settings table differs from the declarations (PxopsSettings); run this "
        + "test with -Dpxops.writeReadme=true to rewrite it, or paste target/settings-table.md").isEqualTo(generated);
  }

  @Test
  void everySettingTheReadmeNamesIsDeclared() throws IOException {
    String text = Files.readString(readme(), StandardCharsets.UTF_8);
    Set<String> known = PxopsSettings.names();
    Set<String> undeclared = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      String name = m.group();
      // a family is written as its prefix (`PXOPS_KAFKA_*`, `PXOPS_KAFKA_<NAME>`); a name ends at its last letter
      boolean inFamily = PxopsSettings.FAMILIES.stream().map(Family::prefix).anyMatch(name::startsWith);
      if (!inFamily && !known.contains(name.replaceAll("_+$", ""))) {
        undeclared.add(name);
      }
    }
    assertThat(undeclared).as("settings the README names but no program declares").isEmpty();
  }

  @Test
  void theTableShowsEveryDeclarationWithItsDefault() {
    String table = SettingsTable.markdown();
    for (Setting<?> s : PxopsSettings.ALL) {
      assertThat(table).contains("| `" + s.name() + "` | " + (s.defaultNote() != null ? s.defaultNote()
          : s.defaultValue() == null ? "" : "`" + s.defaultValue() + "`") + " |");
    }
    assertThat(table).contains("| `PXOPS_HTTP_PORT` | `8081` | ingest |")
        .contains("| `PXOPS_HTTP_PORT` | `8082` | status projector |")
        .contains("| `PXOPS_EVENTS_RETENTION` | `720h` | coordinator |");
  }

  private static Path readme() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(
        dir.resolve("pipeline-common")))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository's root, above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir.resolve("README.md");
  }
}
