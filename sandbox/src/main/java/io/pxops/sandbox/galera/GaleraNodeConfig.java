package io.pxops.sandbox.galera;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and as what one Galera node runs.
 *
 * @param clusterName {@code wsrep_cluster_name}; nodes only join a cluster of the same name
 * @param nodeName {@code wsrep_node_name}, e.g. the pod name
 * @param address the node's own loopback address (e.g. {@code 127.77.0.2}); the node listens on the standard
 *     ports {@link GaleraNode#SQL_PORT}, {@link GaleraNode#GCOMM_PORT}, {@link GaleraNode#IST_PORT} and
 *     {@link GaleraNode#SST_PORT} of that address only, as a pod does on its pod IP
 * @param peerAddresses the addresses of all nodes of the cluster, this one included: {@code wsrep_cluster_address}
 * @param dir the node's own directory ({@code my.cnf}, {@code data/}, socket, logs); it outlives the process,
 *     like a pod's volume. Keep it short: the unix socket {@code <dir>/mysqld.sock} must fit in
 *     {@value GaleraNode#MAX_SOCKET_PATH} bytes
 * @param rootPassword the password of {@code 'root'@'%'}, which the bootstrap node creates and every status
 *     query over TCP uses
 */
public record GaleraNodeConfig(String clusterName, String nodeName, String address, List<String> peerAddresses,
    Path dir, String rootPassword) {

  public GaleraNodeConfig {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(rootPassword, "rootPassword");
    peerAddresses = List.copyOf(peerAddresses);
    dir = dir.toAbsolutePath().normalize();
    if (!clusterName.matches("[A-Za-z0-9_.-]+") || !nodeName.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("cluster and node names may hold only letters, digits, '_', '.', '-': "
          + clusterName + " / " + nodeName);
    }
    if (!address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      throw new IllegalArgumentException("a node's address must be a loopback address 127.x.y.z: " + address);
    }
    if (!peerAddresses.contains(address)) {
      throw new IllegalArgumentException("peerAddresses " + peerAddresses + " must contain the node's own "
          + address);
    }
    int socketBytes = dir.resolve("mysqld.sock").toString().getBytes(StandardCharsets.UTF_8).length;
    if (socketBytes > GaleraNode.MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("the unix socket path " + dir.resolve("mysqld.sock") + " is "
          + socketBytes + " bytes, over the limit of " + GaleraNode.MAX_SOCKET_PATH + ": use a shorter directory");
    }
  }
}
