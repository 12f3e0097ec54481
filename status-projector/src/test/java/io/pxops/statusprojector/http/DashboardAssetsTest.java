package io.pxops.statusprojector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.statusprojector.DashboardConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's files come from the projector's jar, nothing from elsewhere: the page, its script and its style
 * are served with their types, the root leads to the page, nothing outside the three files is served, and no file
 * names an external URL (nothing outside the machine can be reached, and a CDN would be a second origin).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAssetsTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private StatusFeed feed;
  private DashboardRoutes dashboard;
  private StatusHttpServer server;

  @BeforeAll
  void start() {
    // no broker: the feed keeps looking for its topic, which the files do not need
    feed = StatusFeed.start(KafkaClientSettings.plaintext("127.0.0.1:9"));
    StatusQueries queries = new StatusQueries(new PeerClient());
    DoorAuthorizer auth = DoorAuthorizer.off("DashboardAssetsTest", "the files need no token");
    dashboard = new DashboardRoutes(queries, auth, DashboardConfig.defaults(),
        KafkaClientSettings.plaintext("127.0.0.1:9"), feed);
    server = StatusHttpServer.start("127.0.0.1", 0, queries, auth, null, dashboard);
  }

  @AfterAll
  void stop() {
    server.close();
    dashboard.close();
    feed.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageItsScriptAndItsStyleAreServedFromTheJarAndNameNoOtherOrigin() throws Exception {
    for (String path : List.of("/dashboard/", "/dashboard", "/dashboard/app.js", "/dashboard/app.css")) {
      HttpResponse<String> file = get(path);
      assertThat(file.statusCode()).as(path).isEqualTo(200);
      assertThat(file.body()).as(path + " names no other origin").doesNotContain("http://", "https://", "//cdn");
    }
    assertThat(get("/dashboard/").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(get("/dashboard/").body()).contains("<title>pxops dashboard</title>", "/dashboard/app.js");
    assertThat(get("/dashboard/app.js").headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(get("/dashboard/app.css").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
  }

  @Test
  void theRootLeadsToThePageAndNoOtherFileIsServed() throws Exception {
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isBetween(301, 308);
    assertThat(root.headers().firstValue("Location")).contains("/dashboard/");
    for (String path : List.of("/dashboard/pom.xml", "/dashboard/..%2Fapplication.properties",
        "/dashboard/ProjectorMain.class")) {
      HttpResponse<String> other = get(path);
      assertThat(other.statusCode()).as(path).isEqualTo(404);
      assertThat(other.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    }
  }
}
