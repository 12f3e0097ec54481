package io.pxops.pipeline.health;

import com.sun.net.httpserver.HttpExchange;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the process's meters ({@link ServiceMetrics}) in the Prometheus text format, on the JDK's
 * HTTP server of {@link HealthServer}. The services with an HTTP API of their own (ingest, status projector) answer
 * the same body on their API port with {@link ServiceMetrics#scrape()}.
 */
public final class MetricsEndpoint {

  private MetricsEndpoint() {
  }

  /** Answers one scrape; anything but GET (or HEAD) is 405. */
  static void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = ServiceMetrics.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", ServiceMetrics.CONTENT_TYPE);
      if ("HEAD".equals(method)) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
