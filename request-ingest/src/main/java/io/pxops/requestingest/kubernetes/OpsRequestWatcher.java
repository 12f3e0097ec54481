package io.pxops.requestingest.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pxops.events.Envelope;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSpec;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.ClusterView;
import io.pxops.requestingest.admission.UpdateRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes door: watches {@code PerconaXtraDBOpsRequest} objects, so that {@code kubectl apply} of KubeDB's own
 * UpdateVersion YAML works unchanged, and admits each new one ({@code RequestAdmitted} or {@code RequestRejected} on
 * the lifecycle log). Requests that came through the HTTP or Kafka doors are created as objects too and are
 * admitted here: one admission path for every door.
 *
 * <p>An object is new while it has no {@code status.phase}: the status projector writes the phase once the
 * admission is on the log. After a restart the informer lists every object again and the ones still without a
 * phase are admitted again; the coordinator ignores an admission of a request it already knows, so at-least-once
 * is enough here.
 */
public final class OpsRequestWatcher implements AutoCloseable {

  /** Annotation naming the door a request came through, when it was not {@code kubectl}. */
  public static final String DOOR_ANNOTATION = "pxops.io/door";
  /** Annotation carrying the submitter's own request id. */
  public static final String CLIENT_REQUEST_ID_ANNOTATION = "pxops.io/client-request-id";

  private static final Logger LOG = LoggerFactory.getLogger(OpsRequestWatcher.class);

  private final KubernetesClient client;
  private final ClusterView view;
  private final Consumer<Envelope> publish;
  private final Duration defaultTimeout;
  private final Clock clock;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<PerconaXtraDBOpsRequest> informer;

  /**
   * @param client the Kubernetes client (its namespace, if any, is not a filter: all namespaces are watched)
   * @param publish writes an envelope to the lifecycle log; must return only once the write is acknowledged
   */
  public OpsRequestWatcher(KubernetesClient client, Consumer<Envelope> publish, Duration defaultTimeout,
      Clock clock) {
    this.client = client;
    this.view = new KubernetesClusterView(client);
    this.publish = publish;
    this.defaultTimeout = defaultTimeout;
    this.clock = clock;
  }

  /** Starts watching; returns once the informer has listed the existing objects. */
  public OpsRequestWatcher start() {
    informer = client.resources(PerconaXtraDBOpsRequest.class).inAnyNamespace()
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(PerconaXtraDBOpsRequest obj) {
            consider(obj);
          }

          @Override
          public void onUpdate(PerconaXtraDBOpsRequest oldObj, PerconaXtraDBOpsRequest newObj) {
            consider(newObj);
          }

          @Override
          public void onDelete(PerconaXtraDBOpsRequest obj, boolean deletedFinalStateUnknown) {
            handled.remove(obj.getMetadata().getUid());
          }
        }, 0);
    return this;
  }

  private void consider(PerconaXtraDBOpsRequest request) {
    boolean hasPhase = request.getStatus() != null && request.getStatus().getPhase() != null
        && !request.getStatus().getPhase().isBlank();
    if (hasPhase || !handled.add(request.getMetadata().getUid())) {
      return;
    }
    try {
      publish.accept(admit(request));
    } catch (RuntimeException e) {
      // not admitted: forget it, so that the next resync or update tries again
      handled.remove(request.getMetadata().getUid());
      LOG.warn("could not admit {}/{}: {}", request.getMetadata().getNamespace(), request.getMetadata().getName(),
          e.toString());
    }
  }

  /** The admission decision for one object, as the envelope to put on the lifecycle log. */
  Envelope admit(PerconaXtraDBOpsRequest request) {
    UpdateRequest submitted = toUpdateRequest(request);
    AdmissionResult result = Admission.decide(submitted, view, defaultTimeout);
    String ns = submitted.namespace();
    String opsRequest = ns + "/" + submitted.name();
    String database = ns + "/" + (submitted.database() == null || submitted.database().isBlank()
        || submitted.database().contains("/") ? "unknown" : submitted.database());
    Instant now = clock.instant();
    if (result instanceof AdmissionResult.Admitted admitted) {
      LOG.info("admitted {} ({} -> {})", opsRequest, database, submitted.targetVersion());
      return Envelope.of(UUID.randomUUID().toString(), opsRequest, database, now, null,
          new RequestAdmitted(admitted.spec()));
    }
    AdmissionResult.Rejected rejected = (AdmissionResult.Rejected) result;
    LOG.info("rejected {}: {} ({})", opsRequest, rejected.message(), rejected.rule());
    return Envelope.of(UUID.randomUUID().toString(), opsRequest, database, now, null,
        new RequestRejected(submitted.name(), ns, submitted.database(), submitted.targetVersion(), submitted.door(),
            submitted.clientRequestId(), rejected.field(), rejected.rule(), rejected.message()));
  }

  static UpdateRequest toUpdateRequest(PerconaXtraDBOpsRequest request) {
    PerconaXtraDBOpsRequestSpec spec = request.getSpec() != null ? request.getSpec()
        : new PerconaXtraDBOpsRequestSpec();
    var annotations = request.getMetadata().getAnnotations();
    String door = annotations != null && annotations.get(DOOR_ANNOTATION) != null
        ? annotations.get(DOOR_ANNOTATION) : RequestSpec.DOOR_KUBERNETES;
    String clientRequestId = annotations == null ? null : annotations.get(CLIENT_REQUEST_ID_ANNOTATION);
    String created = request.getMetadata().getCreationTimestamp();
    return new UpdateRequest(request.getMetadata().getName(), request.getMetadata().getNamespace(), spec.getType(),
        spec.getDatabaseRef() == null ? null : spec.getDatabaseRef().getName(),
        spec.getUpdateVersion() == null ? null : spec.getUpdateVersion().getTargetVersion(), spec.getTimeout(),
        spec.getApply(), spec.getMaxRetries(), created == null ? null : Instant.parse(created), door,
        clientRequestId);
  }

  /** Whether the informer has listed the existing objects (readiness). */
  public boolean synced() {
    return informer != null && informer.hasSynced();
  }

  /** Completes when the informer stops: on {@link #close()}, or exceptionally when it has failed for good. */
  public java.util.concurrent.CompletionStage<Void> stopped() {
    return informer.stopped();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
