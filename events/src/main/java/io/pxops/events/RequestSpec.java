package io.pxops.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowJson;
import java.time.Duration;
import java.time.Instant;

/**
 * An admitted UpdateVersion request, with KubeDB's defaults already applied by the ingest.
 *
 * @param name the ops request's name
 * @param namespace the ops request's namespace, which is also the database's
 * @param database the database's name (KubeDB's {@code spec.databaseRef.name}, same namespace)
 * @param targetVersion the catalog name of the target version ({@code spec.updateVersion.targetVersion})
 * @param timeout how long each step may run without progress ({@code spec.timeout})
 * @param apply when the request may run ({@code spec.apply})
 * @param maxRetries how many times a failed retriable step is retried ({@code spec.maxRetries}, 0 or
 *     more; KubeDB's default is {@link #DEFAULT_MAX_RETRIES})
 * @param createdAt when the request was created (the ops request's creationTimestamp)
 * @param door how it came in: {@link #DOOR_HTTP}, {@link #DOOR_KAFKA} or {@link #DOOR_KUBERNETES}
 *     today (readers accept any non-blank value)
 * @param clientRequestId the submitter's own id for de-duplication, or {@code null}
 * @param window when the update may run: it starts only while the window is open, and evicts no
 *     further pod once it has closed (see {@code UpdatePlan}); {@code null} means always open. On
 *     the wire it has the campaign spec's {@code window} shape, or a list of them that must all be
 *     open ({@link WindowJson}); a record written before windows existed has none
 */
public record RequestSpec(
    String name,
    String namespace,
    String database,
    String targetVersion,
    Duration timeout,
    ApplyPolicy apply,
    int maxRetries,
    Instant createdAt,
    String door,
    String clientRequestId,
    @JsonSerialize(using = WindowJson.Serializer.class)
        @JsonDeserialize(using = WindowJson.Deserializer.class)
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        MaintenanceWindow window) {

  /** KubeDB's default for {@code spec.maxRetries}. */
  public static final int DEFAULT_MAX_RETRIES = 1;

  /** The request came through the HTTP API. */
  public static final String DOOR_HTTP = "http";

  /** The request was written to {@link Topics#REQUESTS} by a Kafka client. */
  public static final String DOOR_KAFKA = "kafka";

  /** The request is a {@code PerconaXtraDBOpsRequest} object created in Kubernetes. */
  public static final String DOOR_KUBERNETES = "kubernetes";

  /** Validates every field; a missing {@code apply} means {@link ApplyPolicy#IF_READY}. */
  public RequestSpec {
    Require.text(name, "spec.name");
    Require.text(namespace, "spec.namespace");
    Require.text(database, "spec.database");
    Require.text(targetVersion, "spec.targetVersion");
    Require.positive(timeout, "spec.timeout");
    apply = apply == null ? ApplyPolicy.IF_READY : apply;
    Require.atLeast(maxRetries, 0, "spec.maxRetries");
    Require.present(createdAt, "spec.createdAt");
    // any non-blank door is accepted, so that a door added later does not break older readers
    Require.text(door, "spec.door");
    window = window == MaintenanceWindow.ALWAYS ? null : window;
  }

  /**
   * A request without a maintenance window (always open).
   *
   * @param name see the record
   * @param namespace see the record
   * @param database see the record
   * @param targetVersion see the record
   * @param timeout see the record
   * @param apply see the record
   * @param maxRetries see the record
   * @param createdAt see the record
   * @param door see the record
   * @param clientRequestId see the record
   */
  public RequestSpec(
      String name,
      String namespace,
      String database,
      String targetVersion,
      Duration timeout,
      ApplyPolicy apply,
      int maxRetries,
      Instant createdAt,
      String door,
      String clientRequestId) {
    this(name, namespace, database, targetVersion, timeout, apply, maxRetries, createdAt, door,
        clientRequestId, null);
  }

  /**
   * The same request with a maintenance window.
   *
   * @param value the window, or {@code null} (or {@link MaintenanceWindow#ALWAYS}) for none
   * @return a copy with that window
   */
  public RequestSpec withWindow(MaintenanceWindow value) {
    return new RequestSpec(name, namespace, database, targetVersion, timeout, apply, maxRetries,
        createdAt, door, clientRequestId, value);
  }

  /**
   * The window the plan checks.
   *
   * @return {@link #window()}, or {@link MaintenanceWindow#ALWAYS} when there is none
   */
  public MaintenanceWindow effectiveWindow() {
    return window == null ? MaintenanceWindow.ALWAYS : window;
  }

  /**
   * The ops request reference, as used in {@link Envelope#opsRequest()}.
   *
   * @return {@code namespace + "/" + name}
   */
  public String ref() {
    return namespace + "/" + name;
  }

  /**
   * The database reference, as used in {@link Envelope#database()} and as the Kafka key.
   *
   * @return {@code namespace + "/" + database}
   */
  public String databaseRef() {
    return namespace + "/" + database;
  }
}
