package io.pxops.statusprojector.http;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The status API's {@code continue} token gives back the key it was made from, and anything else a caller sends is
 * refused rather than used as a key (would catch a token that a query string mangles, or a page started from
 * whatever a caller made up).
 */
class ContinueTokenTest {

  @Property(tries = 200)
  void aTokenGivesBackItsKey(@ForAll @AlphaChars @StringLength(min = 1, max = 40) String namespace,
      @ForAll @AlphaChars @StringLength(min = 1, max = 80) String name) {
    String key = namespace.toLowerCase() + "/" + name.toLowerCase() + "-1.a";
    String token = ContinueToken.encode(key);
    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(ContinueToken.decode(token)).isEqualTo(key);
  }

  @Test
  void whatNoPageGaveIsRefused() {
    assertThat(ContinueToken.decode("not base64!")).isNull();
    assertThat(ContinueToken.decode(ContinueToken.encode("no-slash"))).isNull();
    assertThat(ContinueToken.decode(ContinueToken.encode("Upper/Case"))).isNull();
    assertThat(ContinueToken.decode("a".repeat(401))).isNull();
  }
}
