package io.pxops.requestingest.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.pxops.events.JsonCodec;
import io.pxops.events.status.RequestStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading measured updates from the status projector's list API (a stand-in answering in its shape): every failure is
 * a sentence saying why there is no estimate, pages are followed and bounded, only successful requests count, and a
 * database without updates of its own is estimated from the others, saying so.
 */
class MeasuredUpdatesClientTest {

  /** One server for the class: each test sets its answers (a JDK server's stop takes up to a second). */
  private static HttpServer projector;
  private static volatile Function<String, String> answers = query -> null;
  private static final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws java.io.IOException {
    projector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    projector.createContext("/api/v1/updaterequests", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      asked.add(query + " " + exchange.getRequestHeaders().getFirst("Authorization"));
      String body = answers.apply(query);
      byte[] bytes = (body == null ? "{\"error\":\"Forbidden\"}" : body).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(body == null ? 403 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    projector.start();
  }

  @AfterAll
  static void stop() {
    projector.stop(0);
  }

  @BeforeEach
  void forget() {
    asked.clear();
  }

  @Test
  void givenNoProjector_thenNoMeasurementsSayingWhatToSet() {
    MeasuredUpdatesClient.Measurements m = new MeasuredUpdatesClient(Optional.empty()).forDatabase("shop/a", null);
    assertThat(m.successful()).isEmpty();
    assertThat(m.source()).startsWith("no measurements").contains("PXOPS_STATUS_URL");
  }

  @Test
  void givenAProjectorThatDoesNotAnswerOrRefuses_thenNoMeasurementsSayingWhy() {
    MeasuredUpdatesClient.Measurements down = new MeasuredUpdatesClient(Optional.of(URI.create("http://127.0.0.1:1")))
        .fleet("Bearer t");
    assertThat(down.successful()).isEmpty();
    assertThat(down.source()).contains("did not answer").endsWith("no estimate");

    serve(query -> null);
    MeasuredUpdatesClient.Measurements refused = client().fleet("Bearer t");
    assertThat(refused.successful()).isEmpty();
    assertThat(refused.source()).contains("answered HTTP 403");
  }

  @Test
  void givenPages_thenEachIsReadWithTheCallersToken_onlySuccessfulOnesCount_andARepeatedTokenEndsTheRead() {
    serve(query -> query.contains("continue=p2") ? page("p2", status("shop/b", "Successful"))
        : query.contains("continue=p1") ? page("p2", status("shop/a", "Failed"), status("shop/c", "Successful"))
        : page("p1", status("shop/a", "Successful")));

    MeasuredUpdatesClient.Measurements m = client().fleet("Bearer alice");

    assertThat(m.successful()).extracting(RequestStatus::database).containsExactly("shop/a", "shop/c", "shop/b");
    assertThat(asked).hasSize(3).allMatch(q -> q.contains("phase=Successful") && q.contains("limit=500"))
        .allMatch(q -> q.endsWith("Bearer alice"));
    assertThat(m.source()).startsWith("3 successful update(s) measured by pxops (status projector http://127.0.0.1:");
  }

  @Test
  void givenADatabaseWithoutUpdatesOfItsOwn_thenTheOthersAreUsedAndTheSourceSaysSo() {
    serve(query -> query.contains("database=") ? page(null) : page(null, status("shop/b", "Successful")));

    MeasuredUpdatesClient.Measurements m = client().forDatabase("shop/a", null);

    assertThat(m.successful()).extracting(RequestStatus::database).containsExactly("shop/b");
    assertThat(m.source()).startsWith("1 successful update(s) of other databases (shop/a has none)");
    assertThat(asked.get(0)).contains("database=shop%2Fa");
  }

  private MeasuredUpdatesClient client() {
    return new MeasuredUpdatesClient(Optional.of(URI.create("http://127.0.0.1:" + projector.getAddress().getPort())));
  }

  private static String page(String next, ObjectNode... items) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.putArray("items").addAll(List.of(items));
    if (next != null) {
      body.putObject("metadata").put("continue", next);
    }
    return body.toString();
  }

  private static ObjectNode status(String database, String phase) {
    ObjectNode s = JsonCodec.shared().mapper().valueToTree(RequestStatus.initial(database + "-upd", database));
    return s.put("phase", phase);
  }

  /** Answers each query with {@code answer}'s body, or 403 when it gives null. */
  private static void serve(Function<String, String> answer) {
    answers = answer;
  }
}
