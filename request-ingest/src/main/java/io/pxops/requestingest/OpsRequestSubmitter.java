package io.pxops.requestingest;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.UpdateRequest;
import io.pxops.requestingest.kubernetes.KubernetesClusterView;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the HTTP and Kafka doors share: check a submitted request and, if it may run, create it as a
 * {@code PerconaXtraDBOpsRequest} object, so that {@code kubectl get pxcops} shows every request whatever its door.
 * The Kubernetes door then admits the object onto the lifecycle log: one admission path for all doors, and a crash
 * between "created" and "admitted" loses nothing (the watcher lists objects without a phase at start).
 *
 * <p>Idempotent by client request id: the object's name is derived from it, so a second submission finds the
 * first one's object and returns it instead of creating another.
 */
public final class OpsRequestSubmitter {

  /** The outcome of one submission. */
  public sealed interface Outcome {
    /** A new object was created. */
    record Created(String namespace, String name, String database) implements Outcome {
    }

    /** The same client request id was submitted before: nothing new was created. */
    record AlreadySubmitted(String namespace, String name, String database) implements Outcome {
    }

    /** The name is taken by another request. */
    record NameTaken(String namespace, String name) implements Outcome {
    }

    /** A rule refused it; nothing was created. */
    record Refused(AdmissionResult.Rejected rejection) implements Outcome {
    }
  }

  private final KubernetesClient client;
  private final Duration defaultTimeout;
  private final List<NamespaceWindow> namespaceWindows;

  public OpsRequestSubmitter(KubernetesClient client, Duration defaultTimeout) {
    this(client, defaultTimeout, List.of());
  }

  /**
   * @param namespaceWindows the configured namespace windows ({@code PXOPS_NAMESPACE_WINDOWS}), kept by every
   *     request in a namespace they select
   */
  public OpsRequestSubmitter(KubernetesClient client, Duration defaultTimeout,
      List<NamespaceWindow> namespaceWindows) {
    this.client = client;
    this.defaultTimeout = defaultTimeout;
    this.namespaceWindows = List.copyOf(namespaceWindows);
  }

  /** Checks and creates; {@code request.name()} may be null, then a name is derived. */
  public Outcome submit(UpdateRequest request) {
    return IngestMeters.submitted(request.door(), submitOnce(request));
  }

  private Outcome submitOnce(UpdateRequest request) {
    String name = request.name() != null ? request.name() : nameFor(request);
    UpdateRequest named = new UpdateRequest(name, request.namespace(), request.type(), request.database(),
        request.targetVersion(), request.timeout(), request.apply(), request.maxRetries(), request.createdAt(),
        request.door(), request.clientRequestId(), request.window());
    AdmissionResult result = Admission.decide(named, new KubernetesClusterView(client), defaultTimeout,
        namespaceWindows);
    if (result instanceof AdmissionResult.Rejected rejected) {
      return new Outcome.Refused(rejected);
    }
    PerconaXtraDBOpsRequest object = toObject(named);
    try {
      client.resources(PerconaXtraDBOpsRequest.class).inNamespace(named.namespace()).resource(object).create();
      return new Outcome.Created(named.namespace(), name, named.database());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      PerconaXtraDBOpsRequest existing = client.resources(PerconaXtraDBOpsRequest.class)
          .inNamespace(named.namespace()).withName(name).get();
      String existingId = existing == null || existing.getMetadata().getAnnotations() == null ? null
          : existing.getMetadata().getAnnotations().get(OpsRequestWatcher.CLIENT_REQUEST_ID_ANNOTATION);
      if (named.clientRequestId() != null && Objects.equals(existingId, named.clientRequestId())) {
        return new Outcome.AlreadySubmitted(named.namespace(), name, named.database());
      }
      return new Outcome.NameTaken(named.namespace(), name);
    }
  }

  /** {@code <database>-<hash of the client request id>}, or {@code <database>-update-<random>}. */
  static String nameFor(UpdateRequest request) {
    // an invalid database name must be refused for what it is, not for the name derived from it
    String db = request.database() == null || !request.database().matches("[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?")
        ? "request" : request.database();
    if (request.clientRequestId() != null) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(request.clientRequestId().getBytes(StandardCharsets.UTF_8));
        return db + "-" + HexFormat.of().formatHex(digest).substring(0, 10);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is always available", e);
      }
    }
    return db + "-update-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static PerconaXtraDBOpsRequest toObject(UpdateRequest r) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(OpsRequestWatcher.DOOR_ANNOTATION, r.door());
    if (r.clientRequestId() != null) {
      annotations.put(OpsRequestWatcher.CLIENT_REQUEST_ID_ANNOTATION, r.clientRequestId());
    }
    if (r.window() != null) {
      annotations.put(OpsRequestWatcher.WINDOW_ANNOTATION, r.window());
    }
    // the trace the door accepted the request under (its LogContext), for the watcher that admits the object
    if (LogContext.traceId() != null) {
      annotations.put(TraceIds.ANNOTATION, LogContext.traceId());
    }
    PerconaXtraDBOpsRequest o = new PerconaXtraDBOpsRequest();
    o.setMetadata(new ObjectMetaBuilder().withName(r.name()).withNamespace(r.namespace())
        .withAnnotations(annotations)
        // made by pxops' own door: pxops' whatever the claim mode (and KubeDB's YAML tools see whose it is)
        .withLabels(Map.of(OpsRequestClaim.KEY, OpsRequestClaim.VALUE)).build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(r.type());
    spec.setDatabaseRef(new LocalObjectReference(r.database()));
    spec.setUpdateVersion(new PerconaXtraDBOpsRequestSpec.UpdateVersionSpec(r.targetVersion()));
    spec.setTimeout(r.timeout());
    spec.setApply(r.apply());
    spec.setMaxRetries(r.maxRetries());
    o.setSpec(spec);
    return o;
  }
}
