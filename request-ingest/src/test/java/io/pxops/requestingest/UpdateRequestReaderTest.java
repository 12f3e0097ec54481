package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.requestingest.UpdateRequestReader.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shape check both doors share, row by row: the body, and the field and rule it breaks. */
class UpdateRequestReaderTest {

  private static final String VALID = "\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\"";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a number for targetVersion (once coerced by one door) | {\"database\":\"demo-px\",\"targetVersion\":10.11} | spec.updateVersion.targetVersion | WrongType",
      "a boolean for database | {\"database\":true,\"targetVersion\":\"10.11.19\"} | spec.databaseRef.name | WrongType",
      "an object for timeout | {" + VALID + ",\"timeout\":{\"m\":5}} | spec.timeout | WrongType",
      "an array for apply | {" + VALID + ",\"apply\":[\"IfReady\"]} | spec.apply | WrongType",
      "null for timeout | {" + VALID + ",\"timeout\":null} | spec.timeout | WrongType",
      "a text for maxRetries | {" + VALID + ",\"maxRetries\":\"2\"} | spec.maxRetries | WrongType",
      "a fraction for maxRetries | {" + VALID + ",\"maxRetries\":1.5} | spec.maxRetries | WrongType",
      "a huge maxRetries | {" + VALID + ",\"maxRetries\":99999999999999999999} | spec.maxRetries | InvalidMaxRetries",
      "a negative maxRetries | {" + VALID + ",\"maxRetries\":-1} | spec.maxRetries | InvalidMaxRetries",
      "apply not one of the two | {" + VALID + ",\"apply\":\"Sometimes\"} | spec.apply | InvalidApply",
      "a duplicated key | {" + VALID + ",\"database\":\"other\"} | spec.databaseRef.name | DuplicateField",
      "an unknown field | {" + VALID + ",\"halt\":1} | halt | UnknownField",
      "an unknown blank field | {" + VALID + ",\"\":1} | `\"\"` | UnknownField",
      "a missing target | {\"database\":\"demo-px\"} | spec.updateVersion.targetVersion | Required",
      "a timeout too long to be one | {" + VALID + ",\"timeout\":\"111111111111111111111111111111111s\"} | spec.timeout | InvalidTimeout",
      "another namespace than the URL's | {" + VALID + ",\"namespace\":\"other\"} | metadata.namespace | NamespaceMismatch",
      "not JSON | not json | body | MalformedBody",
      "an array | [1] | body | MalformedBody",
      "trailing garbage | {" + VALID + "} {} | body | MalformedBody",
  })
  void givenABody_whenRead_thenItIsRefusedNamingTheFieldAndTheRule(String title, String body, String field,
      String rule) {
    Reading reading = UpdateRequestReader.read(body.getBytes(StandardCharsets.UTF_8), "demo", "http", Instant.EPOCH);

    assertThat(reading).isInstanceOfSatisfying(Reading.Refused.class, r -> {
      assertThat(r.field()).isEqualTo(field);
      assertThat(r.rule()).isEqualTo(rule);
    });
  }

  @Test
  void givenDeepNesting_whenRead_thenItIsRefusedAsMalformedOrWrongType() {
    String body = "{\"database\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

    Reading reading = UpdateRequestReader.read(body.getBytes(StandardCharsets.UTF_8), "demo", "http", Instant.EPOCH);

    assertThat(reading).isInstanceOfSatisfying(Reading.Refused.class,
        r -> assertThat(r.rule()).isEqualTo(UpdateRequestReader.MALFORMED_BODY));
  }

  @Test
  void givenAnEmptyValueOrNone_whenRead_thenMalformedBody() {
    assertThat(UpdateRequestReader.read(new byte[0], null, "kafka", Instant.EPOCH))
        .isEqualTo(new Reading.Refused("body", "MalformedBody",
            "the body is empty: an update request is a JSON object"));
    assertThat(UpdateRequestReader.read(null, null, "kafka", Instant.EPOCH)).isInstanceOf(Reading.Refused.class);
  }

  @Test
  void givenAValidBodyWithAWholeNumberWrittenAsDecimal_whenRead_thenItIsReadAsThatNumber() {
    Reading reading = UpdateRequestReader.read(("{" + VALID + ",\"maxRetries\":2.0}")
        .getBytes(StandardCharsets.UTF_8), "demo", "http", Instant.EPOCH);

    assertThat(reading).isInstanceOfSatisfying(Reading.Read.class, r -> {
      assertThat(r.request().maxRetries()).isEqualTo(2);
      assertThat(r.request().namespace()).isEqualTo("demo");
      assertThat(r.request().targetVersion()).isEqualTo("10.11.19");
    });
  }

  @Test
  void givenAWindow_whenRead_thenItIsKeptAsJsonForAdmissionAndAWindowOfTheWrongJsonTypeIsRefused() {
    String window = "{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\",\"start\":\"02:00\",\"end\":\"05:00\"}]}";
    Reading reading = UpdateRequestReader.read(("{" + VALID + ",\"window\":" + window + "}")
        .getBytes(StandardCharsets.UTF_8), "demo", "http", Instant.EPOCH);

    assertThat(reading).isInstanceOfSatisfying(Reading.Read.class,
        r -> assertThat(r.request().window()).isEqualTo(window));
    assertThat(UpdateRequestReader.read(("{" + VALID + "}").getBytes(StandardCharsets.UTF_8), "demo", "http",
        Instant.EPOCH)).isInstanceOfSatisfying(Reading.Read.class, r -> assertThat(r.request().window()).isNull());
    assertThat(UpdateRequestReader.read(("{" + VALID + ",\"window\":\"weekends\"}").getBytes(StandardCharsets.UTF_8),
        "demo", "http", Instant.EPOCH)).isInstanceOfSatisfying(Reading.Refused.class, r -> {
          assertThat(r.field()).isEqualTo("window");
          assertThat(r.rule()).isEqualTo(UpdateRequestReader.WRONG_TYPE);
        });
  }
}
