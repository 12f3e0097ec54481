package io.pxops.requestingest.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Admission is total: whatever the request holds (it may come from any Kubernetes object, unbounded by a schema),
 * it is admitted or rejected naming a field and a known rule, with a message of bounded size; never an exception,
 * which would end a door's loop or answer HTTP 500.
 */
class AdmissionPropertiesTest {

  private static final ClusterView VIEW = new ClusterView() {
    private final Map<String, CatalogEntry> catalog = Map.of(
        "10.11.18", new CatalogEntry("10.11.18", "10.11.18", false, List.of(">= 10.11.18"), List.of("< 10.11.18")),
        "10.11.19", new CatalogEntry("10.11.19", "10.11.19", false, List.of(), List.of()),
        "weird", new CatalogEntry("weird", "99999999999999999999.1.1", false, List.of("~> 9", ">= x"), List.of()));

    @Override
    public Optional<Database> database(String namespace, String name) {
      return "demo".equals(namespace) && ("demo-px".equals(name) || "odd".equals(name))
          ? Optional.of(new Database(namespace, name, "odd".equals(name) ? "weird" : "10.11.18")) : Optional.empty();
    }

    @Override
    public Optional<CatalogEntry> catalogEntry(String name) {
      return Optional.ofNullable(catalog.get(name));
    }

    @Override
    public List<CatalogEntry> catalog() {
      return List.copyOf(catalog.values());
    }
  };

  @Property
  void givenAnyRequest_whenDecided_thenAdmittedOrRejectedNamingAFieldAndAKnownRule(
      @ForAll("requests") UpdateRequest request) {
    AdmissionResult result = Admission.decide(request, VIEW, Duration.ofMinutes(10));

    if (result instanceof AdmissionResult.Rejected rejected) {
      assertThat(rejected.rule()).isIn(Admission.RULES);
      assertThat(rejected.field()).isNotBlank();
      assertThat(rejected.message()).isNotBlank().hasSizeLessThan(1500);
    } else {
      var spec = ((AdmissionResult.Admitted) result).spec();
      assertThat(spec.timeout()).isBetween(Duration.ofSeconds(1), Admission.MAX_TIMEOUT);
      assertThat(spec.maxRetries()).isBetween(0, Admission.MAX_RETRIES);
    }
  }

  @Property
  void givenAnyText_whenParsedAsAKubernetesDuration_thenANonNegativeDurationOrAnIllegalArgument(
      @ForAll("durations") String text) {
    Throwable thrown = catchThrowable(() -> assertThat(KubeDurations.parse(text).isNegative()).isFalse());

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertThat(thrown.getMessage().length()).isLessThan(200);
    }
  }

  @Property
  void givenAnyConstraintAndVersion_whenEvaluated_thenAnAnswerOrAnIllegalArgument(
      @ForAll("versions") String constraint, @ForAll("versions") String version) {
    Throwable thrown = catchThrowable(() -> VersionConstraints.satisfies(constraint, version));

    assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(),
        t -> assertThat(t).isInstanceOf(IllegalArgumentException.class));
  }

  @Provide
  Arbitrary<UpdateRequest> requests() {
    Arbitrary<String> any = hostile();
    Arbitrary<Integer> retries = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-2, 12),
        Arbitraries.just(null));
    Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of("UpdateVersion", "Restart"), any);
    return Combinators.combine(any, Arbitraries.oneOf(Arbitraries.just("demo"), any), type, Arbitraries.oneOf(
        Arbitraries.of("demo-px", "odd"), any), Arbitraries.oneOf(Arbitraries.of("10.11.19", "weird"), any),
        Arbitraries.oneOf(durations(), Arbitraries.just(null)), any, retries).as(
            (name, ns, t, db, target, timeout, apply, maxRetries) -> new UpdateRequest(name, ns, t, db, target,
                timeout, apply, maxRetries, Instant.EPOCH, "kubernetes", null));
  }

  @Provide
  Arbitrary<String> durations() {
    return Arbitraries.oneOf(
        Arbitraries.of("5m", "1h30m", "1.5h", "24h", "24h0m0.000000001s", "0.5s", "1e9h", "-5m", "+5m",
            "9999999999999999999s", "99999999999999999999999999999h", "٣m", "５m", "5µs", "0", "", " ", "1h\u0000",
            "1".repeat(100_000) + "s", "1.".repeat(50) + "s"),
        Arbitraries.strings().withChars("0123456789.nsuµmh-+e٣ ").ofMaxLength(40));
  }

  @Provide
  Arbitrary<String> versions() {
    return Arbitraries.oneOf(
        Arbitraries.of("10.11.19", ">= 10.11.18", "< 8, > 9 || = 1", "~> 9", "^1", "*", "x", "", " ", "||", ",",
            "99999999999999999999.1.1", "1.2.3-alpha+b", "v1", "=", ">=", "1." + "9".repeat(40)),
        Arbitraries.strings().withChars("0123456789.<>=!|, ~^*vx-+").ofMaxLength(30),
        Arbitraries.strings().ofMaxLength(20));
  }

  private static Arbitrary<String> hostile() {
    return Arbitraries.oneOf(Arbitraries.just(null),
        Arbitraries.of("", " ", "\u0000", "a..b", "-a", "a-", "A", "ü", "😀", "a/b", "../x", "a".repeat(64),
            "a".repeat(254), "b".repeat(100_000), "IfReady", "Always", "sometimes"),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-.").ofMinLength(1).ofMaxLength(300));
  }
}
