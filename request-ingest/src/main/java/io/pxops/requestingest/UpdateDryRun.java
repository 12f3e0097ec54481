package io.pxops.requestingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestSpec;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.plan.UpdatePreview;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StepTiming;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.steps.ErrorClassifier;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.UpdateRequest;
import io.pxops.requestingest.dryrun.LivePreviews;
import io.pxops.requestingest.dryrun.DatabaseQueueClient;
import io.pxops.requestingest.dryrun.MeasuredUpdatesClient;
import io.pxops.requestingest.kubernetes.KubernetesClusterView;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/namespaces/{ns}/updaterequests?dryRun=All} (or {@code dryRun=true}): what a submit of the
 * same body would decide, and what the update would do, with none of the submit's writes — no ops request object,
 * no Kafka record; only reads (the database, the catalog, an existing object of the same name, the pods).
 *
 * <p>The same reading ({@link UpdateRequestReader}), the same name rule and the same {@link Admission} as a real
 * submit, so a refusal has the status, rule and field the submit would answer with. When admitted, {@code 200}
 * with the request as admission would run it, its steps in order and its pod order ({@link UpdatePreview} over the
 * live pods), its window (when it would start), and an estimate from the step durations pxops measured before,
 * read from the status projector with the caller's token ({@link MeasuredUpdatesClient}); the answer always says
 * where the estimate comes from, or why there is none.
 */
public final class UpdateDryRun {

  private static final Logger LOG = LoggerFactory.getLogger(UpdateDryRun.class);

  /** A dry run's answer: the HTTP status and the JSON body. */
  public record Answer(int status, ObjectNode body) {}

  private final java.util.List<io.pxops.events.campaign.NamespaceWindow> namespaceWindows;
  private final KubernetesClient client;
  private final Duration defaultTimeout;
  private final LivePreviews previews;
  private final MeasuredUpdatesClient measured;
  private final DatabaseQueueClient queues;

  /**
   * A dry run.
   *
   * @param client the door's Kubernetes client (only read through)
   * @param defaultTimeout the step timeout of a request that gives none, as the submit's
   * @param namespaceWindows {@code PXOPS_NAMESPACE_WINDOWS}, as the submit's admission keeps them
   * @param measured where measured updates are read
   * @param queues where the requests already holding or waiting for a database are read
   */
  public UpdateDryRun(KubernetesClient client, Duration defaultTimeout,
      java.util.List<io.pxops.events.campaign.NamespaceWindow> namespaceWindows, MeasuredUpdatesClient measured,
      DatabaseQueueClient queues) {
    this.client = client;
    this.defaultTimeout = defaultTimeout;
    this.namespaceWindows = java.util.List.copyOf(namespaceWindows);
    this.previews = new LivePreviews(client);
    this.measured = measured;
    this.queues = queues;
  }

  /**
   * Decides as a submit would, and previews.
   *
   * @param raw the body as sent
   * @param ns the path's namespace
   * @param now the time of the call (the request's creation time, and when its window is looked at)
   * @param authorization the caller's {@code Authorization} header, passed on to the status projector
   * @return the answer
   */
  public Answer run(byte[] raw, String ns, Instant now, String authorization) {
    if (raw.length > IngestHttpServer.MAX_BODY_BYTES) {
      return refused(413, "BodyTooLarge", "body", "the body is " + raw.length + " bytes; at most "
          + IngestHttpServer.MAX_BODY_BYTES + " are accepted");
    }
    UpdateRequestReader.Reading reading = UpdateRequestReader.read(raw, ns, RequestSpec.DOOR_HTTP, now);
    if (reading instanceof UpdateRequestReader.Reading.Refused r) {
      return refused(400, r.rule(), r.field(), r.message());
    }
    UpdateRequest request = ((UpdateRequestReader.Reading.Read) reading).request();
    String name = request.name() != null ? request.name() : OpsRequestSubmitter.nameFor(request);
    UpdateRequest named = new UpdateRequest(name, request.namespace(), request.type(), request.database(),
        request.targetVersion(), request.timeout(), request.apply(), request.maxRetries(), request.createdAt(),
        request.door(), request.clientRequestId(), request.window());
    try {
      AdmissionResult result = Admission.decide(named, new KubernetesClusterView(client), defaultTimeout,
          namespaceWindows);
      if (result instanceof AdmissionResult.Rejected r) {
        int status = switch (r.kind()) {
          case INVALID -> 400;
          case NOT_FOUND -> 404;
          case FORBIDDEN -> 422;
        };
        return refused(status, r.rule(), r.field(), r.message());
      }
      Optional<Answer> taken = nameTaken(named);
      if (taken.isPresent()) {
        return taken.get();
      }
      RequestSpec spec = ((AdmissionResult.Admitted) result).spec();
      return new Answer(200, accepted(spec, request.name() == null, now, authorization));
    } catch (RuntimeException e) {
      if (ErrorClassifier.classify(e) != ErrorClassifier.ErrorClass.RETRIABLE) {
        throw e;
      }
      LOG.warn("could not dry-run a request: {}", e.toString());
      return refused(503, "Unavailable", null, "the Kubernetes API is not reachable now; try again");
    }
  }

  /**
   * What the submit's create would answer for an object of the same name: nothing, {@code 200} (the same client
   * request id was submitted before: the submit creates nothing and answers that request), or {@code 409}.
   */
  private Optional<Answer> nameTaken(UpdateRequest r) {
    PerconaXtraDBOpsRequest existing = client.resources(PerconaXtraDBOpsRequest.class).inNamespace(r.namespace())
        .withName(r.name()).get();
    if (existing == null) {
      return Optional.empty();
    }
    String existingId = existing.getMetadata().getAnnotations() == null ? null
        : existing.getMetadata().getAnnotations().get(OpsRequestWatcher.CLIENT_REQUEST_ID_ANNOTATION);
    if (r.clientRequestId() != null && Objects.equals(existingId, r.clientRequestId())) {
      ObjectNode body = base("AlreadySubmitted").put("name", r.name()).put("namespace", r.namespace())
          .put("database", r.database()).put("message", "the same clientRequestId was submitted before as "
              + r.namespace() + "/" + r.name() + ": a submit would create nothing and answer that request");
      return Optional.of(new Answer(200, body));
    }
    return Optional.of(refused(409, "NameTaken", "name", "an ops request named " + r.namespace() + "/" + r.name()
        + " already exists with a different client request id"));
  }

  private ObjectNode accepted(RequestSpec spec, boolean nameDerived, Instant now, String authorization) {
    ObjectNode body = base("Accepted");
    ObjectNode request = body.putObject("request");
    request.put("name", spec.name()).put("nameDerived", nameDerived).put("namespace", spec.namespace())
        .put("database", spec.database())
        .put("fromVersion", new KubernetesClusterView(client).database(spec.namespace(), spec.database())
            .map(d -> d.version()).orElse(null))
        .put("targetVersion", spec.targetVersion())
        .put("timeout", spec.timeout().toString()).put("apply", spec.apply().kubeName())
        .put("maxRetries", spec.maxRetries());
    UpdatePreview preview = previews.preview(spec);
    LivePreviews.write(preview, body);
    window(spec.effectiveWindow(), now, body.putObject("window"));
    queue(spec.namespace() + "/" + spec.database(), authorization, body.putObject("queue"));
    estimate(preview, spec.namespace() + "/" + spec.database(), authorization, body.putObject("estimate"));
    return body;
  }

  private static void window(MaintenanceWindow window, Instant now, ObjectNode into) {
    if (window == MaintenanceWindow.ALWAYS) {
      into.put("has", false).put("startsAt", now.toString())
          .put("message", "no maintenance window: it would start at once (after any request already queued for "
              + "the database)");
    } else if (window.isOpenAt(now)) {
      into.put("has", true).put("openNow", true).put("startsAt", now.toString())
          .put("message", "its maintenance window is open now: it would start at once");
    } else {
      Optional<Instant> opens = window.nextOpening(now);
      into.put("has", true).put("openNow", false).put("startsAt", opens.map(Instant::toString).orElse(null))
          .put("message", opens.map(t -> "its maintenance window is closed now: it would wait (WaitingForWindow) "
              + "and start when it opens, at " + t)
              .orElse("its maintenance window never opens again: it would fail WindowNeverOpens"));
    }
  }

  /**
   * The requests that would run before this one: the coordinator runs one request per database at a time, in the
   * order admitted, so a request admitted now waits behind the one holding the database and those already waiting.
   */
  private void queue(String database, String authorization, ObjectNode into) {
    DatabaseQueueClient.Queue q = queues.forDatabase(database, authorization);
    into.put("known", q.known());
    if (q.known()) {
      into.put("active", q.activeRequest());
      ArrayNode pending = into.putArray("pending");
      q.pending().forEach(pending::add);
      into.put("ahead", q.ahead());
    }
    into.put("source", q.source());
    String message;
    if (!q.known()) {
      message = "the requests already holding " + database + " are " + q.source();
    } else if (q.ahead() == 0) {
      message = "no request holds " + database + " or waits for it: this one would be the next to run";
    } else if (q.activeRequest() == null) {
      message = q.pending().size() + " request(s) wait for " + database + " (" + String.join(", ", q.pending())
          + "): this one would run after them";
    } else {
      message = q.activeRequest() + " holds " + database + (q.pending().isEmpty() ? ""
          : " and " + q.pending().size() + " more wait (" + String.join(", ", q.pending()) + ")")
          + ": this one would run after " + (q.pending().isEmpty() ? "it" : "them");
    }
    into.put("message", message);
  }

  private void estimate(UpdatePreview preview, String database, String authorization, ObjectNode into) {
    MeasuredUpdatesClient.Measurements m = measured.forDatabase(database, authorization);
    List<StepTiming> timings = new ArrayList<>();
    for (RequestStatus s : m.successful()) {
      if (s.steps() != null) {
        timings.addAll(s.steps());
      }
    }
    Optional<UpdatePreview.Estimate> e = preview.estimate(timings);
    if (e.isEmpty()) {
      into.putNull("total");
      into.put("source", m.successful().isEmpty() ? m.source()
          : "no measurements of these steps in " + m.source() + ": no estimate");
      return;
    }
    into.put("total", e.get().total().toString()).put("totalSeconds", e.get().total().toSeconds());
    ObjectNode perStep = into.putObject("perStep");
    e.get().perStep().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(x -> perStep.put(x.getKey().conditionPrefix(), x.getValue().toString()));
    ArrayNode unmeasured = into.putArray("unmeasured");
    e.get().unmeasured().forEach(s -> unmeasured.add(s.conditionPrefix()));
    into.put("source", "the median of each step's durations in " + m.source()
        + (e.get().unmeasured().isEmpty() ? "" : "; steps never measured count as nothing"));
  }

  private static ObjectNode base(String decision) {
    return JsonCodec.shared().mapper().createObjectNode().put("dryRun", true).put("decision", decision);
  }

  private static Answer refused(int status, String rule, String field, String message) {
    ObjectNode body = base("Refused").put("error", rule).put("field", field).put("message", message);
    return new Answer(status, body);
  }
}
