package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one acceptance rule the coordinator and the status projector share. */
class ResultAcceptanceTest {

  @ParameterizedTest(name = "awaited {0}, caused by {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "3f1e4c1a-0000-4000-8000-000000000001, 3f1e4c1a-0000-4000-8000-000000000001, true",
      // the drift this rule ended: the projector accepted a differently cased id the coordinator ignored
      "3f1e4c1a-0000-4000-8000-00000000000a, 3F1E4C1A-0000-4000-8000-00000000000A, false",
      "3f1e4c1a-0000-4000-8000-000000000001, 3f1e4c1a-0000-4000-8000-000000000002, false",
      "3f1e4c1a-0000-4000-8000-000000000001, null, false",
      "null, 3f1e4c1a-0000-4000-8000-000000000001, false",
      "null, null, false",
  })
  void givenAnAwaitedCommandAndAResultsCausation_thenItIsAcceptedOnlyOnAnExactMatch(String awaited,
      String causation, boolean accepted) {
    assertThat(ResultAcceptance.answers(awaited, causation)).isEqualTo(accepted);
  }
}
