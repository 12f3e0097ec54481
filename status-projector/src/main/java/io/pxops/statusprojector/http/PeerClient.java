package io.pxops.statusprojector.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls another projector instance's internal endpoints, which answer from that instance's local
 * stores only (so a forwarded call is never forwarded again).
 */
public final class PeerClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  /**
   * GETs a path from a peer.
   *
   * @param peer the instance, as advertised in {@code application.server}
   * @param pathAndQuery e.g. {@code /internal/v1/request-status/shop/upd-1}
   * @return the peer's answer, or 503 if it cannot be reached (it may be restarting)
   */
  public Answer get(HostInfo peer, String pathAndQuery) {
    return get(peer, pathAndQuery, null);
  }

  /**
   * As above, on behalf of the caller whose {@code Authorization} header is passed on (null: none), so that the
   * peer checks the same caller before it answers from its stores.
   */
  public Answer get(HostInfo peer, String pathAndQuery, String authorization) {
    URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      int retryAfter = response.headers().firstValue("Retry-After").map(PeerClient::seconds)
          .orElse(response.statusCode() == 503 ? Answer.RETRY_AFTER_SECONDS : 0);
      return new Answer(response.statusCode(), response.body(), retryAfter);
    } catch (IOException e) {
      return Answer.unavailable("instance " + peer.host() + ":" + peer.port()
          + " that owns the data cannot be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.unavailable("interrupted while asking " + peer.host() + ":" + peer.port());
    }
  }

  private static int seconds(String value) {
    try {
      return Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return Answer.RETRY_AFTER_SECONDS;
    }
  }
}
