package io.pxops.statusprojector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignProgress;
import io.pxops.events.campaign.CampaignRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Writes a campaign's progress to its {@code pxops.io/v1alpha1 Campaign} object's {@code status.progress}, so that
 * {@code kubectl get campaigns} shows the phase and how many databases are done, and {@code kubectl get campaign X
 * -o yaml} each stage and the failed members with their reasons — the same progress as HTTP and {@code
 * pxops.status}.
 *
 * <p>Only a campaign made from an object has one: its run id is the object's uid (the ingest's Kubernetes door).
 * A campaign created over HTTP or Kafka has no object and is skipped, and so is one whose object of the same name
 * belongs to another run (a campaign created over HTTP, then an object applied under its name): no object is ever
 * created here.
 *
 * <p>The write is a JSON merge patch of {@code status.progress} alone, so the door's {@code status.phase} (Accepted
 * or Refused) is never touched; it goes through the object just read and carries its resourceVersion, so a write
 * racing another one (two projector instances during a rebalance) is refused (409) rather than applied over a newer
 * progress; a refused write is dropped, and the next change of the campaign writes again. Nothing is written when the
 * object already shows this progress, or a later one (a status topic re-read after a restart replays older
 * progress first).
 */
public final class CampaignObjectStatusClient {

  /** What a write did. */
  public enum Result {
    /** The progress was written. */
    WRITTEN,
    /** The object already showed this progress, or a later one of the same run. */
    UNCHANGED,
    /** No Campaign object of that name (a campaign created over HTTP or Kafka, or the CRD not installed). */
    NO_OBJECT,
    /** The object of that name is another run's. */
    OTHER_RUN,
    /** Another writer changed the object in between: dropped, the campaign's next progress writes again. */
    CONFLICT
  }

  /** The custom resource, as {@code deploy/crds/campaigns.pxops.io.yaml} declares it. */
  static final ResourceDefinitionContext CAMPAIGN = new ResourceDefinitionContext.Builder()
      .withGroup("pxops.io").withVersion("v1alpha1").withKind("Campaign").withPlural("campaigns")
      .withNamespaced(false).build();

  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  private final KubernetesClient client;

  /**
   * A client writing through {@code client}.
   *
   * @param client the projector's Kubernetes client
   */
  public CampaignObjectStatusClient(KubernetesClient client) {
    this.client = java.util.Objects.requireNonNull(client, "client");
  }

  /**
   * Writes one progress to its campaign's object, if it has one.
   *
   * @param progress the campaign's progress
   * @return what was done
   * @throws KubernetesClientException when the API refuses for another reason than a conflict or a missing object
   */
  public Result write(CampaignRecord.Progress progress) {
    GenericKubernetesResource object;
    try {
      object = client.genericKubernetesResources(CAMPAIGN).withName(progress.campaign()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Result.NO_OBJECT; // the CRD is not installed: no campaign has an object
      }
      throw e;
    }
    if (object == null) {
      return Result.NO_OBJECT;
    }
    if (progress.uid() == null || !progress.uid().equals(object.getMetadata().getUid())) {
      return Result.OTHER_RUN;
    }
    ObjectNode desired = statusProgress(progress);
    JsonNode existing = MAPPER.valueToTree(object.getAdditionalProperties()).path("status").path("progress");
    if (existing.equals(desired) || newer(existing, progress.at())) {
      return Result.UNCHANGED;
    }
    ObjectNode patch = MAPPER.createObjectNode();
    patch.putObject("metadata").put("resourceVersion", object.getMetadata().getResourceVersion());
    patch.putObject("status").set("progress", desired);
    try {
      client.genericKubernetesResources(CAMPAIGN).resource(object).subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
      return Result.WRITTEN;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Result.NO_OBJECT; // deleted in between
      }
      if (e.getCode() == 409) {
        return Result.CONFLICT;
      }
      throw e;
    }
  }

  /**
   * The object's {@code status.progress} for a progress: the campaign's phase, done of total, the failure budget,
   * each stage's counts, the failed members with their reasons, and when it was decided. Its shape is the CRD's
   * schema ({@code deploy/crds/campaigns.pxops.io.yaml}).
   *
   * @param progress the progress
   * @return the JSON of {@code status.progress}
   */
  static ObjectNode statusProgress(CampaignRecord.Progress progress) {
    ObjectNode out = MAPPER.createObjectNode();
    CampaignProgress view = progress.progress();
    int done = 0;
    int total = 0;
    ArrayNode stages = MAPPER.createArrayNode();
    for (CampaignProgress.StageProgress stage : view == null ? java.util.List.<CampaignProgress.StageProgress>of()
        : view.stages()) {
      done += stage.done();
      total += stage.done() + stage.running() + stage.failed() + stage.waiting() + stage.skipped();
      stages.addObject().put("name", stage.name()).put("phase", stage.phase()).put("done", stage.done())
          .put("running", stage.running()).put("failed", stage.failed()).put("waiting", stage.waiting())
          .put("waitingForWindow", stage.waitingForWindow()).put("skipped", stage.skipped());
    }
    out.put("phase", view == null || view.phase() == null ? "Pending" : view.phase());
    out.put("done", done);
    out.put("total", total);
    // one column for kubectl get: a printer column takes one field
    out.put("doneOfTotal", done + "/" + total);
    out.put("failed", progress.failed());
    out.put("allowedFailures", progress.allowedFailures());
    out.put("refused", progress.refused());
    out.set("stages", stages);
    ArrayNode failures = out.putArray("failedMembers");
    progress.failures().forEach(f -> failures.addObject().put("database", f.database()).put("reason", f.reason()));
    if (progress.at() != null) {
      out.put("updated", progress.at().toString());
    }
    return out;
  }

  private static boolean newer(JsonNode existing, Instant at) {
    if (at == null || !existing.path("updated").isTextual()) {
      return false;
    }
    try {
      return Instant.parse(existing.path("updated").asText()).isAfter(at);
    } catch (DateTimeParseException e) {
      return false; // not ours: overwrite it
    }
  }
}
