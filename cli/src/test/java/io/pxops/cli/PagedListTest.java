package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pxops list} follows the status API's pages to the last one (would catch a list that shows only the first
 * 500 requests of a fleet) and stops on a token given twice instead of asking forever.
 */
class PagedListTest {

  @Test
  void everyPageIsReadInOrderUntilOneHasNoContinueToken() {
    List<String> asked = new ArrayList<>();
    List<JsonNode> items = PxopsHttp.allPages(token -> {
      asked.add(String.valueOf(token));
      return switch (String.valueOf(token)) {
        case "null" -> json("{\"metadata\":{\"continue\":\"t1\"},\"items\":[{\"n\":1},{\"n\":2}]}");
        case "t1" -> json("{\"metadata\":{\"continue\":\"t2\"},\"items\":[{\"n\":3}]}");
        default -> json("{\"items\":[{\"n\":4}]}");
      };
    });
    assertThat(asked).containsExactly("null", "t1", "t2");
    assertThat(items).extracting(i -> i.path("n").asInt()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aTokenGivenTwiceEndsTheListWithAnErrorNotALoop() {
    assertThatThrownBy(() -> PxopsHttp.allPages(token -> json("{\"metadata\":{\"continue\":\"same\"},\"items\":[]}")))
        .isInstanceOf(CliFailure.class).hasMessageContaining("same continue token twice");
  }

  private static JsonNode json(String text) {
    try {
      return JsonCodec.shared().mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
