package io.pxops.sandbox.galera;

import java.time.Instant;
import java.util.Arrays;

/**
 * What one status query over TCP saw on a node (or why it saw nothing).
 *
 * @param at when the query ran
 * @param reachable whether the query succeeded; false while the process is down, still starting, or receiving a
 *     full state transfer (the joiner has no listener then)
 * @param error why the node was not reachable, or null
 * @param localStateComment {@code wsrep_local_state_comment}: {@code Joining}, {@code Donor/Desynced},
 *     {@code Joined}, {@code Synced}, ...
 * @param clusterSize {@code wsrep_cluster_size}, or 0 when unknown
 * @param clusterStatus {@code wsrep_cluster_status}: {@code Primary}, {@code non-Primary}, {@code Disconnected}
 * @param ready {@code wsrep_ready = ON}
 * @param connected {@code wsrep_connected = ON}
 * @param clusterStateUuid {@code wsrep_cluster_state_uuid}
 * @param incomingAddresses {@code wsrep_incoming_addresses}: the SQL addresses of the members this node
 *     currently counts, comma separated
 * @param version {@code SELECT VERSION()}
 */
public record NodeStatus(Instant at, boolean reachable, String error, String localStateComment, int clusterSize,
    String clusterStatus, boolean ready, boolean connected, String clusterStateUuid, String incomingAddresses,
    String version) {

  /** A node that could not be queried. */
  public static NodeStatus unreachable(String error) {
    return new NodeStatus(Instant.now(), false, error, null, 0, null, false, false, null, null, null);
  }

  /** {@code wsrep_local_state_comment = Synced} and {@code wsrep_ready = ON}: the node serves its cluster. */
  public boolean synced() {
    return reachable && "Synced".equals(localStateComment) && ready;
  }

  /** Whether the node is part of a primary component. */
  public boolean primary() {
    return reachable && "Primary".equals(clusterStatus);
  }

  /** Whether this node still counts a member that serves SQL on {@code address} (any port). */
  public boolean counts(String address) {
    if (incomingAddresses == null || incomingAddresses.isBlank()) {
      return false;
    }
    return Arrays.stream(incomingAddresses.split(","))
        .map(String::strip)
        .map(a -> a.lastIndexOf(':') > 0 ? a.substring(0, a.lastIndexOf(':')) : a)
        .anyMatch(address::equals);
  }

  @Override
  public String toString() {
    if (!reachable) {
      return "unreachable(" + error + ")";
    }
    return localStateComment + " size=" + clusterSize + " " + clusterStatus + " ready=" + (ready ? "ON" : "OFF")
        + " connected=" + (connected ? "ON" : "OFF") + " version=" + version;
  }
}
