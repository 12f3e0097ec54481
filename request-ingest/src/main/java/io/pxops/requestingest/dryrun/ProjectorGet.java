package io.pxops.requestingest.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One GET of the status projector's API for a dry run, with the caller's own {@code Authorization} (so a caller learns
 * only what it may read there, and the ingest needs no rights of its own): the answer's JSON, or a phrase saying why
 * there is none. Never an exception: a dry run without what the projector knows still tells what it would do.
 */
final class ProjectorGet {

  /** One call's time limit (connect and answer). */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * What came back.
   *
   * @param status the HTTP status, or 0 when nothing answered
   * @param body the body as JSON when it was JSON (a refusal's too), else null
   * @param failure for anything but a 200 with a JSON body: a phrase naming the projector and what went wrong
   */
  record Answer(int status, JsonNode body, String failure) {
  }

  private ProjectorGet() {
  }

  static Answer get(URI base, URI uri, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return new Answer(r.statusCode(), jsonOrNull(r.body()), "the status projector " + base + " answered HTTP "
            + r.statusCode() + " " + cut(r.body()));
      }
      return new Answer(200, JsonCodec.shared().mapper().readTree(r.body()), null);
    } catch (IOException e) {
      return new Answer(0, null, "the status projector " + base + " did not answer (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + cut(e.getMessage())) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, null, "interrupted while asking the status projector " + base);
    }
  }

  /** A refusal's body as JSON (the projector answers its errors in JSON), or null when it is not JSON. */
  private static JsonNode jsonOrNull(String body) {
    try {
      return body == null ? null : JsonCodec.shared().mapper().readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** A path segment or query value, encoded. */
  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A text from elsewhere, cut: an answer must not carry a stranger's megabyte on. */
  static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
