package io.pxops.requestingest.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The updates pxops measured before, read from the status projector's list API ({@code GET
 * /api/v1/updaterequests?phase=Successful}, each status with its steps' timings), for a dry run's estimate. Over
 * HTTP, because the ingest must not depend on the projector's module; with the caller's own {@code Authorization},
 * so a caller is estimated only from the namespaces it may list, and the ingest needs no rights of its own there.
 *
 * <p>Every failure is an answer, never an exception: a dry run without an estimate still tells what it would do.
 * Bounded: at most {@link #MAX_PAGES} pages of {@link #PAGE} statuses, each call within {@link #TIMEOUT}, and no
 * page asked for after {@link #BUDGET}.
 */
public final class MeasuredUpdatesClient {

  /** Statuses asked for a page: the projector's own default page. */
  public static final int PAGE = 500;
  /** Pages read at most: 10,000 updates are plenty for a median, and the call stays bounded. */
  public static final int MAX_PAGES = 20;
  /** One call's time limit: the dry run waits at most this long a page for an estimate. */
  public static final Duration TIMEOUT = ProjectorGet.TIMEOUT;
  /** No page is asked for after this long: a slow projector shortens the sample, never holds the answer long. */
  public static final Duration BUDGET = Duration.ofSeconds(10);

  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  /**
   * What was read.
   *
   * @param successful the successful requests read (empty when none could be)
   * @param source where they come from, or why there are none: a sentence for the answer
   */
  public record Measurements(List<RequestStatus> successful, String source) {

    /** Copies the list. */
    public Measurements {
      successful = List.copyOf(successful);
    }
  }

  private final Optional<URI> base;

  /**
   * A client.
   *
   * @param base the projector's base URL, or empty for none
   */
  public MeasuredUpdatesClient(Optional<URI> base) {
    this.base = base;
  }

  /**
   * One database's successful updates if it has any, else up to one page of the fleet's.
   *
   * @param database {@code namespace/name}
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the measurements and their source
   */
  public Measurements forDatabase(String database, String authorization) {
    Read own = read("&database=" + ProjectorGet.enc(database), 1, authorization);
    if (own.failure != null) {
      return new Measurements(List.of(), own.failure);
    }
    if (!own.items.isEmpty()) {
      return new Measurements(own.items, own.items.size() + " successful update(s) of " + database
          + " measured by pxops (status projector " + base.orElseThrow() + ")");
    }
    Read fleet = read("", 1, authorization);
    if (fleet.failure != null) {
      return new Measurements(List.of(), fleet.failure);
    }
    if (fleet.items.isEmpty()) {
      return new Measurements(List.of(), "no measurements: the status projector " + base.orElseThrow()
          + " knows no successful update you may list: no estimate");
    }
    return new Measurements(fleet.items, fleet.items.size() + " successful update(s) of other databases ("
        + database + " has none) measured by pxops (status projector " + base.orElseThrow() + ")");
  }

  /**
   * The fleet's successful updates, up to {@link #MAX_PAGES} pages.
   *
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the measurements and their source
   */
  public Measurements fleet(String authorization) {
    Read all = read("", MAX_PAGES, authorization);
    if (all.failure != null) {
      return new Measurements(List.of(), all.failure);
    }
    if (all.items.isEmpty()) {
      return new Measurements(List.of(), "no measurements: the status projector " + base.orElseThrow()
          + " knows no successful update you may list: no estimate");
    }
    return new Measurements(all.items, all.items.size() + " successful update(s) measured by pxops (status "
        + "projector " + base.orElseThrow() + ")");
  }

  private record Read(List<RequestStatus> items, String failure) {}

  private Read read(String filter, int pages, String authorization) {
    if (base.isEmpty()) {
      return new Read(List.of(), "no measurements: no estimate (the ingest is given no status projector to read "
          + "measured updates from: set PXOPS_STATUS_URL)");
    }
    List<RequestStatus> items = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String next = null;
    long deadline = System.nanoTime() + BUDGET.toNanos();
    for (int page = 0; page < pages && (page == 0 || System.nanoTime() < deadline); page++) {
      URI uri = URI.create(base.get() + "/api/v1/updaterequests?phase=" + OpsPhase.SUCCESSFUL.kubeName()
          + "&limit=" + PAGE + filter + (next == null ? "" : "&continue=" + ProjectorGet.enc(next)));
      ProjectorGet.Answer answer = ProjectorGet.get(base.get(), uri, authorization);
      if (answer.failure() != null) {
        return new Read(List.of(), "no measurements: " + answer.failure() + ": no estimate");
      }
      JsonNode body = answer.body();
      for (JsonNode item : body.path("items")) {
        try {
          RequestStatus s = MAPPER.treeToValue(item, RequestStatus.class);
          if (s.phase() == OpsPhase.SUCCESSFUL) {
            items.add(s);
          }
        } catch (IOException | RuntimeException e) {
          // a status this version cannot read measures nothing; the others still do
        }
      }
      JsonNode token = body.path("metadata").path("continue");
      next = token.isTextual() && !token.asText().isEmpty() ? token.asText() : null;
      if (next == null || !tokens.add(next)) {
        break; // the last page, or a token given twice (a wrong answer, not a long list)
      }
    }
    return new Read(items, null);
  }

}
