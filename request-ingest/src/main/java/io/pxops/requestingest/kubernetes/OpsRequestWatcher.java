package io.pxops.requestingest.kubernetes;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pxops.events.Envelope;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSpec;
import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.pipeline.steps.ErrorClassifier;
import io.pxops.requestingest.IngestMeters;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.ClusterView;
import io.pxops.requestingest.admission.UpdateRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * <p>Only objects the {@link OpsRequestClaim} claims are admitted: KubeDB's Ops Manager may run beside pxops, and
 * its ops requests (every other type, and UpdateVersion requests not marked for pxops in the default mode) get no
 * event and so never a status from pxops.
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

  /**
   * The annotation holding a request's maintenance window as JSON (KubeDB's ops request has no such field): set by
   * the HTTP and Kafka doors from the body's {@code window}, or by whoever creates the object.
   */
  public static final String WINDOW_ANNOTATION = io.pxops.requestingest.admission.ClusterView.WINDOW_ANNOTATION;

  private static final Logger LOG = LoggerFactory.getLogger(OpsRequestWatcher.class);

  private final KubernetesClient client;
  private final ClusterView view;
  private final Consumer<Envelope> publish;
  private final Duration defaultTimeout;
  private final Clock clock;
  private final OpsRequestClaim claim;
  private final List<NamespaceWindow> namespaceWindows;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<PerconaXtraDBOpsRequest> informer;

  /**
   * @param client the Kubernetes client (its namespace, if any, is not a filter: all namespaces are watched)
   * @param publish writes an envelope to the lifecycle log; must return only once the write is acknowledged
   */
  public OpsRequestWatcher(KubernetesClient client, Consumer<Envelope> publish, Duration defaultTimeout,
      Clock clock) {
    // in-process tests run on the local world, where no other ops manager runs
    this(client, publish, defaultTimeout, clock, OpsRequestClaim.ALL);
  }

  /**
   * @param claim which ops request objects to admit; every other one is left untouched (no event, no status)
   */
  public OpsRequestWatcher(KubernetesClient client, Consumer<Envelope> publish, Duration defaultTimeout,
      Clock clock, OpsRequestClaim claim) {
    this(client, publish, defaultTimeout, clock, claim, List.of());
  }

  /**
   * @param namespaceWindows the configured namespace windows ({@code PXOPS_NAMESPACE_WINDOWS}), kept by every
   *     request in a namespace they select, as the HTTP and Kafka doors keep them
   */
  public OpsRequestWatcher(KubernetesClient client, Consumer<Envelope> publish, Duration defaultTimeout,
      Clock clock, OpsRequestClaim claim, List<NamespaceWindow> namespaceWindows) {
    this.namespaceWindows = List.copyOf(namespaceWindows);
    this.client = client;
    this.claim = java.util.Objects.requireNonNull(claim, "claim");
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
    // runs on the informer's thread for every object anyone can create: nothing may escape from here
    String uid;
    try {
      boolean hasPhase = request.getStatus() != null && request.getStatus().getPhase() != null
          && !request.getStatus().getPhase().isBlank();
      uid = request.getMetadata().getUid();
      if (hasPhase || uid == null) {
        return;
      }
      // KubeDB's Ops Manager may run beside pxops: an ops request pxops does not claim (another type, or not
      // marked for pxops) is its business, so nothing is published and its status is never written
      if (!claimed(request)) {
        LOG.debug("not claimed ({}): {}/{}", claim, request.getMetadata().getNamespace(),
            request.getMetadata().getName());
        return;
      }
      if (!handled.add(uid)) {
        return;
      }
    } catch (RuntimeException e) {
      LOG.warn("ignoring an ops request object that cannot be read: {}", e.toString());
      return;
    }
    String ns = request.getMetadata().getNamespace();
    String database = request.getSpec() == null || request.getSpec().getDatabaseRef() == null ? null
        : ns + "/" + request.getSpec().getDatabaseRef().getName();
    try (LogContext.Scope scope = LogContext.of(ns + "/" + request.getMetadata().getName(), database,
        traceOf(request, uid))) {
      admitAndPublish(request, uid);
    }
  }

  /**
   * The trace the request continues: the one its door accepted it under (the HTTP and Kafka doors annotate the
   * object), else one made of its uid (an object applied with kubectl: the same after a restart of the ingest).
   */
  private static String traceOf(PerconaXtraDBOpsRequest request, String uid) {
    Map<String, String> annotations = request.getMetadata().getAnnotations();
    String trace = TraceIds.valid(annotations == null ? null : annotations.get(TraceIds.ANNOTATION));
    if (trace == null) {
      trace = TraceIds.fromUid(uid);
    }
    return trace != null ? trace : TraceIds.newId();
  }

  private void admitAndPublish(PerconaXtraDBOpsRequest request, String uid) {
    Envelope decision;
    try {
      decision = admit(request);
    } catch (RuntimeException e) {
      if (ErrorClassifier.classify(e) == ErrorClassifier.ErrorClass.RETRIABLE) {
        // the API did not answer admission's reads: forget it, so that the next resync or update tries again
        handled.remove(uid);
        LOG.warn("could not admit {}/{} now: {}", request.getMetadata().getNamespace(),
            request.getMetadata().getName(), e.toString());
        return;
      }
      // a bug or an object nobody foresaw: refuse it naming the exception, rather than retry it forever unseen
      LOG.error("admitting {}/{} failed unexpectedly", request.getMetadata().getNamespace(),
          request.getMetadata().getName(), e);
      decision = unexpected(request, e);
      if (decision == null) {
        return;
      }
    }
    try {
      publish.accept(decision);
    } catch (RuntimeException e) {
      // not on the log: forget it, so that the next resync or update tries again
      handled.remove(uid);
      LOG.warn("could not admit {}/{}: {}", request.getMetadata().getNamespace(), request.getMetadata().getName(),
          e.toString());
    }
  }

  private boolean claimed(PerconaXtraDBOpsRequest request) {
    return claim.claims(request.getSpec() == null ? null : request.getSpec().getType(),
        request.getMetadata().getLabels(), request.getMetadata().getAnnotations());
  }

  /** A rejection with rule {@code Unexpected} naming the exception, or null when the object has no usable name. */
  private Envelope unexpected(PerconaXtraDBOpsRequest request, RuntimeException e) {
    try {
      String ns = request.getMetadata().getNamespace();
      String name = request.getMetadata().getName();
      String detail = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return Envelope.of(UUID.randomUUID().toString(), ns + "/" + name, ns + "/unknown", clock.instant(), null,
          new RequestRejected(name, ns, null, null, RequestSpec.DOOR_KUBERNETES, null, "spec", "Unexpected",
              "admission failed unexpectedly: " + (detail.length() > 500 ? detail.substring(0, 500) + "…" : detail)));
    } catch (RuntimeException again) {
      LOG.error("cannot even reject {}: {}", request.getMetadata(), again.toString());
      return null;
    }
  }

  /** The admission decision for one object, as the envelope to put on the lifecycle log. */
  Envelope admit(PerconaXtraDBOpsRequest request) {
    UpdateRequest submitted = toUpdateRequest(request);
    AdmissionResult result = Admission.decide(submitted, view, defaultTimeout, namespaceWindows);
    String ns = submitted.namespace();
    String opsRequest = ns + "/" + submitted.name();
    String database = ns + "/" + (submitted.database() == null || submitted.database().isBlank()
        || submitted.database().contains("/") ? "unknown" : submitted.database());
    Instant now = clock.instant();
    IngestMeters.admission(submitted.door(), result instanceof AdmissionResult.Admitted);
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

  public static UpdateRequest toUpdateRequest(PerconaXtraDBOpsRequest request) {
    PerconaXtraDBOpsRequestSpec spec = request.getSpec() != null ? request.getSpec()
        : new PerconaXtraDBOpsRequestSpec();
    var annotations = request.getMetadata().getAnnotations();
    String door = annotations != null && annotations.get(DOOR_ANNOTATION) != null
        && !annotations.get(DOOR_ANNOTATION).isBlank() ? annotations.get(DOOR_ANNOTATION)
        : RequestSpec.DOOR_KUBERNETES;
    String clientRequestId = annotations == null ? null : annotations.get(CLIENT_REQUEST_ID_ANNOTATION);
    String created = request.getMetadata().getCreationTimestamp();
    return new UpdateRequest(request.getMetadata().getName(), request.getMetadata().getNamespace(), spec.getType(),
        spec.getDatabaseRef() == null ? null : spec.getDatabaseRef().getName(),
        spec.getUpdateVersion() == null ? null : spec.getUpdateVersion().getTargetVersion(), spec.getTimeout(),
        spec.getApply(), spec.getMaxRetries(), creationTime(created), door,
        clientRequestId, annotations == null ? null : annotations.get(WINDOW_ANNOTATION));
  }

  /** When the API server stamped the object, or null (then admission uses now) if the stamp is not an instant. */
  private static Instant creationTime(String created) {
    try {
      return created == null ? null : Instant.parse(created);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
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
