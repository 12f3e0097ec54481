package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pxops.events.JsonCodec;
import io.pxops.events.status.RequestStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The ingest's and the status projector's HTTP APIs, as the command line uses them. */
final class PxopsHttp {

  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Endpoints endpoints;

  PxopsHttp(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** {@code POST .../updaterequests}: returns the ingest's answer (202, or 200 for a repeated clientRequestId). */
  JsonNode submit(String namespace, JsonNode body) {
    return expectOk(send(HttpRequest.newBuilder(URI.create(endpoints.ingestUrl() + "/api/v1/namespaces/"
        + enc(namespace) + "/updaterequests")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), endpoints.ingestUrl()));
  }

  /** {@code POST .../updaterequests/{name}/replay}. */
  JsonNode replay(RequestRef ref) {
    return expectOk(send(HttpRequest.newBuilder(URI.create(endpoints.ingestUrl() + "/api/v1/namespaces/"
        + enc(ref.namespace()) + "/updaterequests/" + enc(ref.name()) + "/replay"))
        .POST(HttpRequest.BodyPublishers.noBody()), endpoints.ingestUrl()));
  }

  /** The request's status from the projector, or null when it has none (yet). */
  RequestStatus status(RequestRef ref) {
    Answer a = send(HttpRequest.newBuilder(URI.create(endpoints.statusUrl() + "/api/v1/namespaces/"
        + enc(ref.namespace()) + "/updaterequests/" + enc(ref.name()))).GET(), endpoints.statusUrl());
    if (a.status() == 404) {
      return null;
    }
    return convert(expectOk(a), RequestStatus.class);
  }

  /** The page size the list asks for: a few megabytes of statuses a call, whatever the number of requests. */
  static final int LIST_PAGE = 500;

  /**
   * Every request the projector knows, optionally of one database ({@code ns/name}) and phase: the projector answers
   * in pages ({@code limit}, {@code metadata.continue}, as a Kubernetes list), followed here to the last one.
   */
  List<RequestStatus> list(String database, String phase) {
    StringBuilder q = new StringBuilder("?limit=" + LIST_PAGE);
    if (database != null) {
      q.append("&database=").append(enc(database));
    }
    if (phase != null) {
      q.append("&phase=").append(enc(phase));
    }
    List<RequestStatus> items = new ArrayList<>();
    for (JsonNode item : allPages(next -> expectOk(send(HttpRequest.newBuilder(URI.create(endpoints.statusUrl()
        + "/api/v1/updaterequests" + q + (next == null ? "" : "&continue=" + enc(next)))).GET(),
        endpoints.statusUrl())))) {
      items.add(convert(item, RequestStatus.class));
    }
    return items;
  }

  /** {@code POST} to the ingest at {@code path} (a campaign's create or control): its answer, or the refusal. */
  JsonNode postToIngest(String path, JsonNode body) {
    return expectOk(send(HttpRequest.newBuilder(URI.create(endpoints.ingestUrl() + path))
        .header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString())), endpoints.ingestUrl()));
  }

  /**
   * A dry run's answer from the ingest: {@code POST path} (with {@code ?dryRun=All}) and its status and body, a
   * decision's refusal (4xx with {@code "decision": "Refused"}) included, so the caller can show it. A refusal by
   * the door itself (401, 403: no decision was made) and a failure (unreachable, 5xx) end the command as any call.
   */
  DryRunAnswer dryRun(String path, JsonNode body) {
    Answer a = send(HttpRequest.newBuilder(URI.create(endpoints.ingestUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), endpoints.ingestUrl());
    boolean decided = a.status() >= 200 && a.status() < 300;
    // a rule's refusal names its rule; the door's own (no token, no right) is not a decision about the update
    boolean refusedByRule = a.status() >= 400 && a.status() < 500 && a.status() != 401 && a.status() != 403
        && a.body().hasNonNull("error");
    if (decided || refusedByRule) {
      return new DryRunAnswer(a.status(), a.body());
    }
    expectOk(a);
    throw new IllegalStateException("not reached");
  }

  /** A dry run's HTTP status and body. */
  record DryRunAnswer(int status, JsonNode body) {
    boolean refused() {
      return status >= 400;
    }
  }

  /** A campaign's progress from the projector, or null when it has none (yet). */
  JsonNode campaign(String name) {
    Answer a = send(HttpRequest.newBuilder(URI.create(endpoints.statusUrl() + "/api/v1/campaigns/" + enc(name)))
        .GET(), endpoints.statusUrl());
    return a.status() == 404 ? null : expectOk(a);
  }

  /**
   * The items of every page of a list, following {@code metadata.continue} from the first page ({@code null}) on.
   *
   * @param page the page a token names ({@code null}: the first)
   * @return the items of every page, in order
   */
  static List<JsonNode> allPages(Function<String, JsonNode> page) {
    List<JsonNode> items = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String next = null;
    do {
      JsonNode body = page.apply(next);
      body.path("items").forEach(items::add);
      JsonNode token = body.path("metadata").path("continue");
      next = token.isTextual() && !token.asText().isEmpty() ? token.asText() : null;
      // a token given twice would page forever: the answer is wrong, not the list long
      if (next != null && !tokens.add(next)) {
        throw new CliFailure(ExitCodes.UNAVAILABLE, "the status projector gave the same continue token twice ("
            + next + ") after " + items.size() + " items");
      }
    } while (next != null);
    return items;
  }

  private record Answer(int status, JsonNode body) {
  }

  private Answer send(HttpRequest.Builder request, String service) {
    String token = endpoints.token();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = r.body() == null || r.body().isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
      } catch (IOException e) {
        body = MAPPER.createObjectNode().put("message", r.body());
      }
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach " + service + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + " (is it running? pxops demo --keep starts one and writes its addresses for the other commands)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.UNAVAILABLE, "interrupted");
    }
  }

  private static JsonNode expectOk(Answer a) {
    if (a.status() >= 200 && a.status() < 300) {
      return a.body();
    }
    String message = a.body().path("message").asText(a.body().toString());
    String field = a.body().path("field").asText("");
    String hint = a.status() == 401 ? " (pass --token, set PXOPS_TOKEN, or use a kubeconfig with a token)" : "";
    throw new CliFailure(a.status() >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED,
        "HTTP " + a.status() + (field.isEmpty() ? "" : " (" + field + ")") + ": " + message + hint);
  }

  private static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "unexpected answer: " + e.getMessage());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
