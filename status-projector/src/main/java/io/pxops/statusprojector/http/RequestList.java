package io.pxops.statusprojector.http;

import io.pxops.events.status.RequestStatus;
import java.util.List;

/**
 * The body of {@code GET /api/v1/updaterequests}: the matching request statuses of every instance,
 * merged and sorted by ops request.
 *
 * @param items the statuses
 */
public record RequestList(List<RequestStatus> items) {

  /** Copies the list. */
  public RequestList {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
