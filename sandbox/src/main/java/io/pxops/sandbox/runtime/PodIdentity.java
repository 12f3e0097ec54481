package io.pxops.sandbox.runtime;

import java.util.List;

/**
 * Everything a {@link PodRuntime} needs to know about a pod to run its database node.
 *
 * @param namespace the pod's namespace
 * @param database the PerconaXtraDB (and PetSet) name; also the Galera cluster name
 * @param podName {@code <database>-<ordinal>}
 * @param ordinal the pod's ordinal in its PetSet
 * @param podIp the pod's own loopback address (each pod has a distinct 127.x.y.z address, so every node uses
 *     the standard ports 3306/4567/4568/4444 on its own address, as pods do in a real cluster)
 * @param peerIps the addresses of all pods of the PetSet (including this one), in ordinal order
 * @param rootPassword the password of the {@code root} user from the database's auth Secret; a node that
 *     bootstraps a new cluster creates {@code 'root'@'%'} with it, for TCP clients such as the verifier
 */
public record PodIdentity(String namespace, String database, String podName, int ordinal, String podIp,
    List<String> peerIps, String rootPassword) {

  public PodIdentity {
    peerIps = List.copyOf(peerIps);
  }

  /** A stable key for maps: {@code namespace/podName}. */
  public String key() {
    return namespace + "/" + podName;
  }
}
