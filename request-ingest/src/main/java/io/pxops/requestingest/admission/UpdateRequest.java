package io.pxops.requestingest.admission;

import java.time.Instant;

/**
 * An update request as submitted, before any check: the fields of KubeDB's {@code PerconaXtraDBOpsRequest} that
 * pxops reads, raw, whatever door it came through. Any field may be missing or wrong; {@link Admission} says which.
 *
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace}
 * @param type {@code spec.type}
 * @param database {@code spec.databaseRef.name}
 * @param targetVersion {@code spec.updateVersion.targetVersion}
 * @param timeout {@code spec.timeout} as written, e.g. {@code 5m}, or null for the default
 * @param apply {@code spec.apply}, or null for {@code IfReady}
 * @param maxRetries {@code spec.maxRetries}, or null for KubeDB's default of 1
 * @param createdAt when it was created
 * @param door {@code http}, {@code kafka} or {@code kubernetes}
 * @param clientRequestId the submitter's own id for de-duplication, or null
 * @param window the maintenance window as JSON text (the campaign spec's {@code window} shape, or a list of them
 *     that must all be open), or null for none; HTTP and Kafka take it as the body's {@code window}, the object
 *     carries it in the annotation {@code pxops.io/maintenance-window}
 */
public record UpdateRequest(String name, String namespace, String type, String database, String targetVersion,
    String timeout, String apply, Integer maxRetries, Instant createdAt, String door, String clientRequestId,
    String window) {

  /** A request without a maintenance window. */
  public UpdateRequest(String name, String namespace, String type, String database, String targetVersion,
      String timeout, String apply, Integer maxRetries, Instant createdAt, String door, String clientRequestId) {
    this(name, namespace, type, database, targetVersion, timeout, apply, maxRetries, createdAt, door,
        clientRequestId, null);
  }
}
