package io.pxops.pipeline.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /livez}, {@code /readyz} and {@code /healthz} (an alias of {@code /livez}) for the services that have no
 * HTTP API of their own (coordinator, step runners, verifier), on the JDK's own HTTP server: 200 when the probe
 * passes, 503 otherwise, the body saying why; and {@code GET /metrics}, the process's meters for Prometheus
 * ({@link MetricsEndpoint}).
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts listening.
   *
   * @param port the port, 0 for any free one
   * @param health what the probes read
   * @return the running server
   */
  public static HealthServer start(int port, ServiceHealth health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for health probes on port " + port, e);
    }
    server.createContext("/livez", ex -> answer(ex, health::live));
    server.createContext("/healthz", ex -> answer(ex, health::live));
    server.createContext("/readyz", ex -> answer(ex, health::readiness));
    server.createContext("/metrics", MetricsEndpoint::serve);
    // two threads: a readiness check waiting for a dead broker must not hold up the liveness probe
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, health.service() + "-health-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new HealthServer(server);
  }

  private static void answer(HttpExchange ex, Supplier<ServiceHealth.Probe> probe) throws IOException {
    try (ex) {
      ServiceHealth.Probe p = probe.get();
      byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(p.ok() ? 200 : 503, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
