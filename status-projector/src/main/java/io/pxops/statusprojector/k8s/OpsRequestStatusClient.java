package io.pxops.statusprojector.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.status.RequestStatus;
import io.pxops.kubedb.OpsRequestStatus;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.StatusPatches;
import io.pxops.pipeline.claim.OpsRequestClaim;

/**
 * Writes a projected status to its {@code PerconaXtraDBOpsRequest}'s {@code .status} subresource.
 *
 * <p>The write is a JSON patch that replaces the whole status, guarded by the resourceVersion it
 * was computed from ({@link StatusPatches#replaceStatus}); a JSON merge patch would append to the
 * conditions list on the local API server. On 409 (someone wrote in between) it reads the object
 * again and retries, a bounded number of times. It is idempotent: a status already there is not
 * written again.
 */
public final class OpsRequestStatusClient {

  /** What a write did. */
  public enum Result {
    /** The status was written. */
    WRITTEN,
    /** The object already had this status; nothing was written. */
    UNCHANGED,
    /**
     * No such object: a request from the HTTP or Kafka door, or one rejected before an object was
     * made, has no object to write to.
     */
    NO_OBJECT,
    /**
     * The object is not pxops' (another ops request type, or not marked for pxops under the claim mode): its
     * status belongs to KubeDB's Ops Manager, so nothing was written. Guards the case where the log holds a status
     * for a name now taken by such an object (a request deleted and created again by KubeDB's tools).
     */
    NOT_CLAIMED
  }

  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final OpsRequestClaim claim;
  private final OpsRequestEvents events;

  /**
   * A client writing through {@code client} the status of every UpdateVersion request not marked for another
   * manager (the local world, where no other ops manager runs).
   *
   * @param client the Kubernetes client
   */
  public OpsRequestStatusClient(KubernetesClient client) {
    this(client, OpsRequestClaim.ALL);
  }

  /**
   * A client writing through {@code client} only to objects {@code claim} claims.
   *
   * @param client the Kubernetes client
   * @param claim which objects are pxops'
   */
  public OpsRequestStatusClient(KubernetesClient client, OpsRequestClaim claim) {
    this.client = client;
    this.claim = java.util.Objects.requireNonNull(claim, "claim");
    this.events = new OpsRequestEvents(client);
  }

  /** The client it writes through; the write-back writes campaigns' progress through the same one. */
  KubernetesClient client() {
    return client;
  }

  /**
   * Writes one status.
   *
   * @param status the projected status
   * @return what was done
   * @throws KubernetesClientException when the API refuses for another reason than a conflict, or
   *     conflicts persist
   */
  public Result write(RequestStatus status) {
    KubernetesClientException conflict = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      PerconaXtraDBOpsRequest object = client.resources(PerconaXtraDBOpsRequest.class)
          .inNamespace(status.namespace()).withName(status.name()).get();
      if (object == null) {
        return Result.NO_OBJECT;
      }
      if (!claim.claims(object.getSpec() == null ? null : object.getSpec().getType(),
          object.getMetadata().getLabels(), object.getMetadata().getAnnotations())) {
        return Result.NOT_CLAIMED;
      }
      OpsRequestStatus existing = object.getStatus();
      OpsRequestStatus desired = OpsRequestStatuses.toKubernetes(
          status, object.getMetadata().getGeneration(), existing);
      if (OpsRequestStatuses.same(existing, desired)) {
        return Result.UNCHANGED;
      }
      try {
        // through the object just read (a patch by name GETs it again first)
        client.resources(PerconaXtraDBOpsRequest.class).resource(object).subresource("status").patch(PatchContext.of(PatchType.JSON),
                StatusPatches.replaceStatus(object.getMetadata().getResourceVersion(), desired));
        // the story for kubectl describe: what this write changed, once (after the write, so a refused write
        // tells nothing that did not happen)
        events.record(object, existing, desired);
        return Result.WRITTEN;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Result.NO_OBJECT; // deleted in between
        }
        if (e.getCode() != 409) {
          throw e;
        }
        conflict = e; // re-read, recompute on top of the other writer's version, try again
      }
    }
    throw conflict;
  }
}
