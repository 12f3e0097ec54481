package io.pxops.requestingest.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading a database's queue from the status projector's database API (a stand-in answering in its shape; the real
 * projector answers the same call in RollingUpdateIT): what holds and waits is named, a database the projector never
 * saw has an empty queue, every failure says the queue is not known and why, and the caller's token goes along.
 */
class DatabaseQueueClientTest {

  private static HttpServer projector;
  private static volatile int status = 200;
  private static volatile String body = "{}";
  private static final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws java.io.IOException {
    projector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    projector.createContext("/api/v1/namespaces", exchange -> {
      asked.add(exchange.getRequestURI().getRawPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
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
    status = 200;
  }

  private static DatabaseQueueClient client() {
    return new DatabaseQueueClient(Optional.of(URI.create("http://127.0.0.1:" + projector.getAddress().getPort())));
  }

  @Test
  void givenARequestHoldingTheDatabaseAndTwoWaiting_thenAllThreeAreAheadInOrder_andTheTokenWentAlong() {
    body = "{\"database\":\"shop/orders\",\"activeRequest\":\"shop/upd-1\",\"pendingRequests\":[\"shop/upd-2\","
        + "\"shop/upd-3\"],\"paused\":true}";
    DatabaseQueueClient.Queue q = client().forDatabase("shop/orders", "Bearer t");
    assertThat(q.known()).isTrue();
    assertThat(q.activeRequest()).isEqualTo("shop/upd-1");
    assertThat(q.pending()).containsExactly("shop/upd-2", "shop/upd-3");
    assertThat(q.ahead()).isEqualTo(3);
    assertThat(asked).containsExactly("/api/v1/namespaces/shop/databases/orders Bearer t");
  }

  @Test
  void givenADatabaseTheProjectorNeverSaw_thenTheQueueIsKnownAndEmpty() {
    status = 404;
    body = "{\"error\":\"NotFound\",\"message\":\"no database shop/new\"}";
    DatabaseQueueClient.Queue q = client().forDatabase("shop/new", null);
    assertThat(q.known()).isTrue();
    assertThat(q.ahead()).isZero();
    assertThat(q.source()).contains("no request of shop/new");

    // a 404 that is not the projector's own (a proxy, a wrong URL) tells nothing
    body = "<h1>404 Not Found</h1>";
    DatabaseQueueClient.Queue elsewhere = client().forDatabase("shop/new", null);
    assertThat(elsewhere.known()).isFalse();
    assertThat(elsewhere.source()).contains("answered HTTP 404");
  }

  @Test
  void givenAFreeDatabase_thenNothingIsAhead() {
    body = "{\"database\":\"shop/orders\",\"activeRequest\":null,\"pendingRequests\":[]}";
    DatabaseQueueClient.Queue q = client().forDatabase("shop/orders", null);
    assertThat(q.known()).isTrue();
    assertThat(q.activeRequest()).isNull();
    assertThat(q.ahead()).isZero();
  }

  @Test
  void givenNoProjector_aRefusal_oranAnswerThatIsNotJson_thenNotKnownSayingWhy() {
    DatabaseQueueClient.Queue none = new DatabaseQueueClient(Optional.empty()).forDatabase("shop/orders", null);
    assertThat(none.known()).isFalse();
    assertThat(none.source()).contains("PXOPS_STATUS_URL");

    DatabaseQueueClient.Queue down = new DatabaseQueueClient(Optional.of(URI.create("http://127.0.0.1:1")))
        .forDatabase("shop/orders", null);
    assertThat(down.known()).isFalse();
    assertThat(down.source()).contains("did not answer");

    status = 403;
    body = "{\"error\":\"Forbidden\"}";
    DatabaseQueueClient.Queue refused = client().forDatabase("shop/orders", "Bearer t");
    assertThat(refused.known()).isFalse();
    assertThat(refused.source()).contains("answered HTTP 403");

    status = 200;
    body = "<html>a proxy's page</html>";
    DatabaseQueueClient.Queue garbled = client().forDatabase("shop/orders", null);
    assertThat(garbled.known()).isFalse();
    assertThat(garbled.source()).contains("did not answer");
  }

  @Test
  void givenAHostileAnswer_thenWhatIsKeptIsBounded() {
    String huge = "x".repeat(10_000);
    StringBuilder pending = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      pending.append(i == 0 ? "" : ",").append("\"shop/p-").append(i).append('"');
    }
    body = "{\"activeRequest\":\"" + huge + "\",\"pendingRequests\":[" + pending + ",42,null]}";
    DatabaseQueueClient.Queue q = client().forDatabase("shop/orders", null);
    assertThat(q.activeRequest().length()).isLessThan(300);
    assertThat(q.pending()).hasSize(DatabaseQueueClient.MAX_PENDING).allMatch(p -> p.startsWith("shop/p-"));
  }
}
