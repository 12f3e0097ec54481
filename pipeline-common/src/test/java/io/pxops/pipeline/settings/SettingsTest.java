package io.pxops.pipeline.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.pipeline.ConfigOrExit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void aVariableNoProgramDeclaresIsRefusedWithTheNearestName() {
    assertThatThrownBy(() -> PxopsSettings.refuseUnknown(Map.of("PXOPS_VERIFY_HOLD_POLL", "3")))
        .hasMessage("unknown setting PXOPS_VERIFY_HOLD_POLL: no pxops program reads it; "
            + "did you mean PXOPS_VERIFY_HOLD_POLLS?");
    // at start, through the one way every service reads its configuration
    assertThatThrownBy(() -> ConfigOrExit.readChecked(Map.of("PXOPS_RECHECK_INTERVL", "5s"), new String[0],
        env -> PxopsSettings.RECHECK_INTERVAL.read(env)))
        .hasMessageContaining("did you mean PXOPS_RECHECK_INTERVAL?");
  }

  @Test
  void aSettingAServiceReadsButNobodyDeclaredFailsItsFirstStart() {
    assertThatThrownBy(() -> ConfigOrExit.readChecked(Map.of(), new String[0],
        env -> env.getOrDefault("PXOPS_SOMETHING_NEW", "1")))
        .hasMessage("PXOPS_SOMETHING_NEW is read but not declared: declare it in PxopsSettings");
  }

  @Test
  void anotherProgramsSettingAKafkaClientSettingAndKubernetesServiceLinksPass_aTypoShapedLikeALinkDoesNot() {
    // one ConfigMap for all five services: the coordinator is given the verifier's settings
    PxopsSettings.refuseUnknown(Map.of("PXOPS_VERIFY_HOLD_POLLS", "3", "PXOPS_POLL_MS", "5",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SSL", "HOME", "/root",
        "PXOPS_INGEST_SERVICE_HOST", "10.0.0.1", "PXOPS_INGEST_SERVICE_PORT_HTTP", "8081",
        "PXOPS_INGEST_PORT", "tcp://10.0.0.1:8081", "PXOPS_INGEST_PORT_8081_TCP_ADDR", "10.0.0.1",
        "PXOPS_PORT", "tcp://10.0.0.2:80"));
    assertThatThrownBy(() -> PxopsSettings.refuseUnknown(Map.of("PXOPS_HELTH_PORT", "8080")))
        .hasMessageContaining("did you mean PXOPS_HEALTH_PORT?");
  }

  @Test
  void aBadValueNamesTheSettingTheRuleAndTheValue() {
    assertThatThrownBy(() -> PxopsSettings.VERIFY_HOLD_POLLS.read(Map.of("PXOPS_VERIFY_HOLD_POLLS", "0")))
        .hasMessage("PXOPS_VERIFY_HOLD_POLLS must be a whole number in 1..100 but was \"0\"");
    assertThatThrownBy(() -> PxopsSettings.TICK_INTERVAL.read(Map.of("PXOPS_TICK_INTERVAL", "soon")))
        .hasMessage("PXOPS_TICK_INTERVAL must be a duration such as 500ms, 1s, 10m or 1h30m, from 1ms to 1m "
            + "but was \"soon\"");
    assertThatThrownBy(() -> PxopsSettings.TICK_INTERVAL.read(Map.of("PXOPS_TICK_INTERVAL", "2m")))
        .hasMessageContaining("from 1ms to 1m");
    assertThatThrownBy(() -> PxopsSettings.WRITE_BACK.read(Map.of("PXOPS_WRITE_BACK", "yes")))
        .hasMessage("PXOPS_WRITE_BACK must be true or false but was \"yes\"");
  }

  @Test
  void everyCheckedSettingRefusesGarbageNamingItselfAndItsRule() {
    for (Setting<?> s : PxopsSettings.ALL) {
      try {
        s.read(Map.of(s.name(), "#garbage#"));
        // only free text passes: what it must look like is checked where it is used
        assertThat(s.parser().apply("x")).as(s.name() + " took garbage but is no free text").isEqualTo("x");
      } catch (IllegalArgumentException e) {
        if (e.getCause() instanceof Setting.Refusal) {
          // a structured value (a JSON list) names each broken part instead of quoting itself whole
          assertThat(e).hasMessageStartingWith(s.name() + " must be " + s.rule() + "; it breaks ");
          continue;
        }
        assertThat(e).hasMessage(s.name() + " must be " + s.rule() + " but was \"#garbage#\"");
      }
    }
  }

  @Test
  void aDurationAcceptsTheGoFormAndStillTheIsoForm() {
    assertThat(PxopsSettings.RECHECK_INTERVAL.read(Map.of())).isEqualTo(Duration.ofSeconds(1));
    assertThat(PxopsSettings.RECHECK_INTERVAL.read(Map.of("PXOPS_RECHECK_INTERVAL", "250ms")))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(PxopsSettings.RECHECK_INTERVAL.read(Map.of("PXOPS_RECHECK_INTERVAL", "1m30s")))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(PxopsSettings.RECHECK_INTERVAL.read(Map.of("PXOPS_RECHECK_INTERVAL", "PT0.5S")))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(PxopsSettings.EVENTS_RETENTION.read(Map.of())).isEqualTo(Duration.ofDays(30));
    assertThat(PxopsSettings.VERIFY_HOLD_FOR.read(Map.of("PXOPS_VERIFY_HOLD_FOR", "0"))).isZero();
  }

  @Property(tries = 200)
  void everyDurationSettingAcceptsTheGoFormOfAnyValueInItsRange(@ForAll("durationSettings") Setting<?> setting,
      @ForAll("millis") long millis) {
    Duration d = Duration.ofMillis(millis);
    Object value;
    try {
      value = setting.read(Map.of(setting.name(), Durations.format(d)));
    } catch (IllegalArgumentException e) {
      // out of this setting's range: then the message says so by name and rule
      assertThat(e).hasMessageStartingWith(setting.name() + " must be " + setting.rule());
      return;
    }
    assertThat(value).isEqualTo(d);
  }

  @Provide
  Arbitrary<Setting<?>> durationSettings() {
    List<Setting<?>> durations = PxopsSettings.ALL.stream()
        .filter(s -> s.defaultValue() != null && s.parser().apply(s.defaultValue()) instanceof Duration).toList();
    assertThat(durations).hasSizeGreaterThanOrEqualTo(14);
    return Arbitraries.of(durations);
  }

  @Provide
  Arbitrary<Long> millis() {
    return Arbitraries.oneOf(Arbitraries.longs().between(1, 60_000),
        Arbitraries.longs().between(1, 800L).map(h -> h * 3_600_000L), Arbitraries.longs().between(1, 10_000_000_000L));
  }

  @Property(tries = 300)
  void theGoFormatReadsBackAsTheSameDuration(@ForAll("nanos") long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @Provide
  Arbitrary<Long> nanos() {
    return Arbitraries.longs().between(0, Long.MAX_VALUE);
  }

  @Test
  void aMillisecondsSettingBecameADurationAndItsOldNameStillWorks() {
    assertThat(PxopsSettings.COMMIT_INTERVAL.read(Map.of())).isEqualTo(Duration.ofMillis(20));
    assertThat(PxopsSettings.COMMIT_INTERVAL.read(Map.of("PXOPS_COMMIT_INTERVAL_MS", "0"))).isZero();
    assertThat(PxopsSettings.POLL_TIMEOUT.read(Map.of("PXOPS_POLL_MS", "7"))).isEqualTo(Duration.ofMillis(7));
    assertThatThrownBy(() -> PxopsSettings.POLL_TIMEOUT.read(Map.of("PXOPS_POLL_MS", "5ms")))
        .hasMessageContaining("PXOPS_POLL_MS (now PXOPS_POLL_TIMEOUT");
    assertThatThrownBy(() -> PxopsSettings.POLL_TIMEOUT.read(Map.of("PXOPS_POLL_MS", "99999")))
        .hasMessageContaining("PXOPS_POLL_MS (now PXOPS_POLL_TIMEOUT) must be").hasMessageContaining("to 10s");
    assertThatThrownBy(() -> PxopsSettings.POLL_TIMEOUT.read(Map.of("PXOPS_POLL_MS", "5", "PXOPS_POLL_TIMEOUT",
        "5ms"))).hasMessageContaining("keep only PXOPS_POLL_TIMEOUT");
  }
}
