package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dead letter's wire shape: the first version's letters still read, and the fields added for a cut value
 * round-trip; a letter that kept everything writes none of them.
 */
class DeadLetterJsonTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DeadLetter-v1", "DeadLetter-v2-truncated"})
  void givenAGoldenDeadLetter_whenReadAndWrittenAgain_thenTheJsonTreeIsUnchanged(String fixture) throws IOException {
    byte[] json = fixture(fixture);

    DeadLetter letter = JsonCodec.shared().mapper().readValue(json, DeadLetter.class);
    byte[] again = JsonCodec.shared().mapper().writeValueAsBytes(letter);

    assertThat(Golden.tree(again)).isEqualTo(Golden.tree(json));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DeadLetter-v1"})
  void givenAFirstVersionLetter_whenRead_thenTheAddedFieldsAreAbsent(String fixture) throws IOException {
    DeadLetter letter = JsonCodec.shared().mapper().readValue(fixture(fixture), DeadLetter.class);

    assertThat(letter.value()).isEqualTo("not json at all");
    assertThat(letter.keyBase64()).isNull();
    assertThat(letter.valueSize()).isNull();
    assertThat(letter.valueSha256()).isNull();
    assertThat(letter).isEqualTo(new DeadLetter(letter.service(), letter.topic(), letter.partition(),
        letter.offset(), letter.key(), letter.value(), null, letter.problem(), letter.reason(), letter.at()));
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = DeadLetterJsonTest.class.getResourceAsStream("/golden/deadletter/" + name + ".json")) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    }
  }
}
