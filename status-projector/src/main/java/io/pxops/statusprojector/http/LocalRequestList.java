package io.pxops.statusprojector.http;

import io.pxops.events.status.RequestStatus;
import java.util.List;

/**
 * What one instance answers for its part of a list: the partitions it served (so the asking
 * instance can check that every partition was answered exactly once) and the matching statuses.
 *
 * @param partitions the partitions served, as {@code topic-partition}
 * @param items the matching statuses of those partitions
 */
public record LocalRequestList(List<String> partitions, List<RequestStatus> items) {

  /** Copies the lists. */
  public LocalRequestList {
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    items = items == null ? List.of() : List.copyOf(items);
  }
}
