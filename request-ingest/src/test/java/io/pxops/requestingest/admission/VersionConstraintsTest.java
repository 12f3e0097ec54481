package io.pxops.requestingest.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionConstraintsTest {

  @ParameterizedTest(name = "{1} satisfies \"{0}\": {2}")
  @CsvSource(delimiter = ';', value = {
      ">= 8.0.40, <= 8.4.3; 8.0.40; true",
      ">= 8.0.40, <= 8.4.3; 8.4.3 ; true",
      ">= 8.0.40, <= 8.4.3; 8.4.4 ; false",
      ">= 8.0.40, <= 8.4.3; 8.0.31; false",
      ">=8.0.40 <=8.4.3   ; 8.1.0 ; true",
      ">= 10.11.18, < 10.12.0; 10.11.19; true",
      ">= 10.11.18, < 10.12.0; 10.12.0 ; false",
      "< 8.0.40           ; 5.7.44; true",
      "!= 8.0.40          ; 8.0.40; false",
      "8.4.3              ; 8.4.3 ; true",
      ">= 9.0 || < 6      ; 5.7.44; true",
      ">= 9.0 || < 6      ; 8.0.40; false",
      ">= 8.4             ; 8.4.0 ; true"})
  void evaluatesMastermindsStyleConstraints(String constraint, String version, boolean expected) {
    assertThat(VersionConstraints.satisfies(constraint, version)).isEqualTo(expected);
  }

  @Test
  void emptyAllowlistAllowsAllButTheDenied() {
    assertThat(VersionConstraints.allowed(List.of(), List.of("< 8.0.40"), "8.4.3")).isTrue();
    assertThat(VersionConstraints.allowed(List.of(), List.of("< 8.0.40"), "5.7.44")).isFalse();
    assertThat(VersionConstraints.allowed(null, null, "1.0.0")).isTrue();
  }

  @Test
  void unsupportedSyntaxIsRefusedNotGuessed() {
    assertThatThrownBy(() -> VersionConstraints.satisfies("~> 9", "9.0.0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("~> 9");
  }

  @ParameterizedTest
  @CsvSource({"90s, 90", "5m, 300", "1h30m, 5400", "1.5h, 5400", "1500ms, 1"})
  void parsesGoDurations(String text, long seconds) {
    assertThat(KubeDurations.parse(text).getSeconds()).isEqualTo(seconds);
  }

  @Test
  void refusesWhatIsNotAGoDuration() {
    for (String bad : List.of("5", "five minutes", "5 m", "", "-5m", "1d")) {
      assertThatThrownBy(() -> KubeDurations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(KubeDurations.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
  }
}
