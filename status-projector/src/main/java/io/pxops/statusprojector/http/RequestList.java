package io.pxops.statusprojector.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pxops.events.status.RequestStatus;
import java.util.List;

/**
 * The body of {@code GET /api/v1/updaterequests}: the matching request statuses of every instance,
 * merged and sorted by ops request; {@code metadata.continue} is there only while more pages remain.
 *
 * @param metadata the paging, or null on the last page
 * @param items the statuses
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestList(ListMeta metadata, List<RequestStatus> items) {

  /** Copies the list. */
  public RequestList {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /**
   * A whole list, or the last page of one.
   *
   * @param items the statuses
   */
  public RequestList(List<RequestStatus> items) {
    this(null, items);
  }

  /**
   * Where the next page starts, as in a Kubernetes list.
   *
   * @param continueToken pass it back as {@code ?continue=} for the next page
   */
  public record ListMeta(@JsonProperty("continue") String continueToken) {
  }
}
