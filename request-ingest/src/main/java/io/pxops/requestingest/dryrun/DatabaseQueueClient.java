package io.pxops.requestingest.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which requests already hold or wait for a database, as the status projector folded them from the lifecycle log
 * ({@code GET /api/v1/namespaces/{ns}/databases/{name}}), for a dry run: an update submitted now runs only after
 * them, one request per database at a time. Read with the caller's own {@code Authorization}, as the estimate is.
 * Every failure is an answer saying the queue is not known and why, never an exception.
 */
public final class DatabaseQueueClient {

  /**
   * What is known of one database's queue.
   *
   * @param known whether the projector answered; when false, {@code source} says why not
   * @param activeRequest the request holding the database ({@code namespace/name}), or null
   * @param pending the requests waiting behind it, oldest first
   * @param source where this comes from, or why it is not known: a phrase for the answer
   */
  public record Queue(boolean known, String activeRequest, List<String> pending, String source) {

    /** Copies the list. */
    public Queue {
      pending = List.copyOf(pending);
    }

    /** How many requests would run before one submitted now. */
    public int ahead() {
      return (activeRequest == null ? 0 : 1) + pending.size();
    }
  }

  /** The most pending requests kept from an answer: a dry run names a queue, it does not page through one. */
  static final int MAX_PENDING = 100;

  private final Optional<URI> base;

  /**
   * A client.
   *
   * @param base the projector's base URL, or empty for none
   */
  public DatabaseQueueClient(Optional<URI> base) {
    this.base = base;
  }

  /**
   * The queue of one database.
   *
   * @param database {@code namespace/name}
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the queue, or why it is not known
   */
  public Queue forDatabase(String database, String authorization) {
    if (base.isEmpty()) {
      return new Queue(false, null, List.of(), "not known: the ingest is given no status projector to ask (set "
          + "PXOPS_STATUS_URL)");
    }
    int slash = database.indexOf('/');
    URI uri = URI.create(base.get() + "/api/v1/namespaces/" + ProjectorGet.enc(database.substring(0, slash))
        + "/databases/" + ProjectorGet.enc(database.substring(slash + 1)));
    ProjectorGet.Answer answer = ProjectorGet.get(base.get(), uri, authorization);
    if (answer.status() == 404 && answer.body() != null && "NotFound".equals(answer.body().path("error").asText())) {
      // the projector's own "no such database": it has seen no request of it, so none holds it (a 404 of anything
      // else, a proxy or a wrong URL, tells nothing and falls to the failure below)
      return new Queue(true, null, List.of(), "the status projector " + base.get() + " (no request of " + database
          + " on the log)");
    }
    if (answer.failure() != null) {
      return new Queue(false, null, List.of(), "not known: " + answer.failure());
    }
    JsonNode body = answer.body();
    JsonNode active = body.path("activeRequest");
    List<String> pending = new ArrayList<>();
    for (JsonNode p : body.path("pendingRequests")) {
      if (p.isTextual() && pending.size() < MAX_PENDING) {
        pending.add(ProjectorGet.cut(p.asText()));
      }
    }
    return new Queue(true, active.isTextual() ? ProjectorGet.cut(active.asText()) : null, pending,
        "the status projector " + base.get());
  }

}
