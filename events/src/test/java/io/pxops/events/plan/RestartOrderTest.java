package io.pxops.events.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.PodInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartOrderTest {

  private static final String OLD = "pxc:8.0.40";
  private static final String NEW = "pxc:8.4.3";

  /**
   * Pods are written "ordinal:state" with state r = ready on the old image, u = not ready on the
   * old image, R = ready on the new image, U = not ready on the new image.
   */
  @ParameterizedTest(name = "[{index}] pods {0}, done [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0:r 1:r 2:r         |       | 2 1 0",
        "2:r 0:r 1:r         |       | 2 1 0",
        "0:r 1:r 2:r 3:r 4:r |       | 4 3 2 1 0",
        "0:r                 |       | 0",
        "0:r 1:u 2:r         |       | 1 2 0",
        "0:u 1:r 2:u         |       | 2 0 1",
        "0:r 1:R 2:r         |       | 2 0",
        "0:R 1:R 2:R         |       | ",
        "0:r 1:U 2:r         |       | 1 2 0",
        "0:r 1:r 2:r         | 2     | 1 0",
        "0:r 1:r 2:r         | 2 1 0 | ",
        "0:u 1:r 2:R         | 1     | 0",
        "                    |       | "
      })
  void givenPods_whenOrdered_thenUnreadyFirstThenHighestOrdinalAndUpdatedOnesLeftOut(
      String pods, String done, String expected) {
    List<PodInfo> input = new ArrayList<>();
    for (String pod : words(pods)) {
      String[] parts = pod.split(":");
      int ordinal = Integer.parseInt(parts[0]);
      char state = parts[1].charAt(0);
      boolean ready = Character.toLowerCase(state) == 'r';
      String image = Character.isUpperCase(state) ? NEW : OLD;
      input.add(new PodInfo("orders-" + ordinal, ordinal, ready, image));
    }
    Set<String> doneSet =
        words(done).stream().map(o -> "orders-" + o).collect(Collectors.toCollection(LinkedHashSet::new));

    List<PodInfo> order = RestartOrder.of(input, NEW, doneSet);

    assertThat(order.stream().map(PodInfo::ordinal).map(String::valueOf))
        .containsExactlyElementsOf(words(expected));
  }

  private static List<String> words(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.asList(text.trim().split("\\s+"));
  }
}
