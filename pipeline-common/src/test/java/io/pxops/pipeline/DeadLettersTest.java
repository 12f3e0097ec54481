package io.pxops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.DeadLetter;
import io.pxops.events.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A dead letter always fits on the DLQ topic, and says what it left out. */
class DeadLettersTest {

  private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void givenA1MbValue_whenDeadLettered_thenAPrefixItsSizeAndDigestAreKeptAndTheLetterFitsTheTopic()
      throws Exception {
    byte[] value = new byte[1024 * 1024];
    Arrays.fill(value, (byte) 'x');

    DeadLetter letter = DeadLetters.of("svc", "pxops.requests", 0, 7L, "demo/px", value, "NotJson", "too big", AT);

    assertThat(letter.value()).hasSize(DeadLetters.MAX_VALUE_BYTES).isEqualTo("x".repeat(DeadLetters.MAX_VALUE_BYTES));
    assertThat(letter.valueSize()).isEqualTo(value.length);
    assertThat(letter.valueSha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
    assertThat(JsonCodec.shared().mapper().writeValueAsBytes(letter).length)
        .isLessThan(DeadLetters.MAX_LETTER_BYTES);
  }

  @Test
  void givenASmallValue_whenDeadLettered_thenItIsKeptWholeWithNoTruncationFields() {
    DeadLetter letter = DeadLetters.of("svc", "t", 0, 1L, "k", "{}".getBytes(StandardCharsets.UTF_8), "NotJson",
        "r", AT);

    assertThat(letter.value()).isEqualTo("{}");
    assertThat(letter.valueSize()).isNull();
    assertThat(letter.valueSha256()).isNull();
  }

  @Test
  void givenAKeyThatIsNotUtf8_whenDeadLettered_thenItIsKeptInBase64() {
    byte[] key = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF};

    DeadLetter letter = DeadLetters.of("svc", "t", 0, 1L, key, new byte[] {1}, "NotJson", "r", AT);

    assertThat(letter.key()).isNull();
    assertThat(Base64.getDecoder().decode(letter.keyBase64())).isEqualTo(key);
  }

  @Test
  void givenAMultiByteCharacterAtTheCut_whenDeadLettered_thenThePrefixEndsOnACharacterBoundary() {
    String text = "a" + "é".repeat(DeadLetters.MAX_VALUE_BYTES);

    DeadLetter letter = DeadLetters.of("svc", "t", 0, 1L, "k", text.getBytes(StandardCharsets.UTF_8), "NotJson",
        "r", AT);

    assertThat(letter.value()).startsWith("aéé").doesNotContain("\uFFFD");
    assertThat(letter.value().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DeadLetters.MAX_VALUE_BYTES);
  }

  @Property(tries = 40)
  void givenAnyValueKeyAndReason_whenDeadLettered_thenItsJsonFitsTheTopic(
      @ForAll("hostileBytes") byte[] value, @ForAll("hostileBytes") byte[] key,
      @ForAll @IntRange(max = 300_000) int reasonLength) throws Exception {
    String reason = "\u0001".repeat(reasonLength);

    DeadLetter letter = DeadLetters.of("svc", "t", 0, 1L, key, value, "NotJson", reason, AT);

    byte[] json = JsonCodec.shared().mapper().writeValueAsBytes(letter);
    assertThat(json.length + (letter.key() == null ? 0 : letter.key().length() * 3))
        .isLessThan(DeadLetters.MAX_LETTER_BYTES);
    assertThat(letter.reason().length()).isLessThanOrEqualTo(DeadLetters.MAX_REASON_CHARS);
    assertThat(JsonCodec.shared().mapper().readValue(json, DeadLetter.class)).isEqualTo(letter);
  }

  @Provide
  Arbitrary<byte[]> hostileBytes() {
    // the worst cases for JSON size: control characters (6 bytes each escaped) and bytes that are not UTF-8
    Arbitrary<byte[]> controls = Arbitraries.integers().between(0, 2 * 1024 * 1024).map(n -> {
      byte[] b = new byte[n];
      Arrays.fill(b, (byte) 1);
      return b;
    });
    Arbitrary<byte[]> random = Arbitraries.integers().between(0, 300_000).flatMap(n -> Arbitraries.longs()
        .map(seed -> {
          byte[] b = new byte[n];
          new java.util.Random(seed).nextBytes(b);
          return b;
        }));
    return Arbitraries.oneOf(controls, random);
  }
}
