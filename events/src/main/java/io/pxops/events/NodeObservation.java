package io.pxops.events;

import java.util.Map;

/**
 * What the verifier read on one Galera node, queried directly (not through a load balancer).
 *
 * @param pod the pod the node runs in
 * @param serverVersion {@code SELECT VERSION()}
 * @param localStateComment {@code wsrep_local_state_comment} ({@code Synced} when healthy)
 * @param clusterStatus {@code wsrep_cluster_status} ({@code Primary} when healthy)
 * @param ready {@code wsrep_ready} ({@code ON} when healthy)
 * @param connected {@code wsrep_connected} ({@code ON} when healthy)
 * @param clusterSize {@code wsrep_cluster_size} (the number of replicas when healthy)
 * @param clusterStateUuid {@code wsrep_cluster_state_uuid} (equal on every node)
 * @param tableChecksums checksum per compared table ({@code schema.table}) or chunk of a table, named by its key range
 *     ({@code schema.table id in (lo,hi]}); equal across nodes
 * @param rowCounts row count per compared table or chunk, keyed as {@code tableChecksums}; equal across nodes
 */
public record NodeObservation(
    String pod,
    String serverVersion,
    String localStateComment,
    String clusterStatus,
    String ready,
    String connected,
    int clusterSize,
    String clusterStateUuid,
    Map<String, String> tableChecksums,
    Map<String, Long> rowCounts) {

  /** Requires the pod name; absent maps become empty. Status values are kept as read. */
  public NodeObservation {
    Require.text(pod, "node.pod");
    Require.atLeast(clusterSize, 0, "node.clusterSize");
    tableChecksums = Require.orderedMap(tableChecksums);
    rowCounts = Require.orderedMap(rowCounts);
  }
}
