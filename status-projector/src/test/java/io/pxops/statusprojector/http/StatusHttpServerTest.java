package io.pxops.statusprojector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer before Streams is attached: input checks, 503s, 404s, the health check. */
class StatusHttpServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private StatusHttpServer server;

  @BeforeEach
  void start() {
    // the input checks and 503s of the HTTP layer itself; who may ask is StatusProjectorIT's
    server = StatusHttpServer.start("127.0.0.1", 0, new StatusQueries(new PeerClient()),
        DoorAuthorizer.off("StatusHttpServerTest", "a test of the layer's input checks"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JsonCodec.shared().mapper().readTree(response.body());
  }

  @Test
  void givenStreamsNotYetAttached_whenAStatusIsAsked_thenTheAnswerIs503WithRetryAfter()
      throws Exception {
    HttpResponse<String> single = get("/api/v1/namespaces/shop/updaterequests/upd-1");
    HttpResponse<String> list = get("/api/v1/updaterequests");
    HttpResponse<String> database = get("/api/v1/namespaces/shop/databases/orders");

    for (HttpResponse<String> response : java.util.List.of(single, list, database)) {
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).contains("1");
      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/json");
      assertThat(json(response).get("error").asText()).isEqualTo("Unavailable");
    }
  }

  @Test
  void givenABadFilterOrName_whenAsked_thenTheAnswerIs400NamingTheFieldAndTheRule()
      throws Exception {
    JsonNode phase = json(get("/api/v1/updaterequests?phase=Done"));
    JsonNode database = json(get("/api/v1/updaterequests?database=orders"));
    HttpResponse<String> name = get("/api/v1/namespaces/Shop_1/updaterequests/upd-1");

    assertThat(phase.get("field").asText()).isEqualTo("phase");
    assertThat(phase.get("rule").asText()).contains("Pending, Progressing");
    assertThat(database.get("field").asText()).isEqualTo("database");
    assertThat(database.get("message").asText()).contains("\"namespace/name\"");
    assertThat(name.statusCode()).isEqualTo(400);
    assertThat(json(name).get("field").asText()).isEqualTo("namespace");
  }

  @Test
  void givenAnUnknownPath_whenAsked_thenTheAnswerIsA404InJson() throws Exception {
    HttpResponse<String> response = get("/api/v2/nothing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get("error").asText()).isEqualTo("NotFound");
  }

  @Test
  void givenAStartingProjector_whenItsHealthIsAsked_thenItIsUpButNotReady() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asText()).isEqualTo("UP");
    assertThat(json(response).get("ready").asBoolean()).isFalse();
  }
}
