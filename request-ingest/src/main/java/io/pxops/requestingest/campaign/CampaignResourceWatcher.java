package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pxops.events.JsonCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns' Kubernetes door: a {@code pxops.io/v1alpha1 Campaign} object (CRD in {@code deploy/crds/}) is a
 * campaign. Its spec is the campaign spec ({@code metadata.name} is its name) plus three controls. The door:
 *
 * <ul>
 *   <li>creates the campaign once per object, with the object's uid as the run's id (a second look at the same
 *       object, after a restart or a resync, is the same run, which the coordinator ignores), and writes what it
 *       made of it to {@code status}: {@code Accepted} with the uid, or {@code Refused} with the rule, the field
 *       and the message (the checks of every campaign door, {@link CampaignDoor});
 *   <li>passes the controls on at every look (each is idempotent): {@code paused: true} pauses and {@code false}
 *       resumes, each stage in {@code approvedStages} is approved (an approval counts only while its stage waits
 *       for one, so a stage listed ahead of time is approved when it is reached, at the next look), and {@code
 *       cancelled: true} cancels. The looks are every change and every {@link #RESYNC}.
 * </ul>
 *
 * <p>Who may: whoever Kubernetes lets create Campaign objects. A campaign submits update requests in every
 * namespace it selects, so grant that only to those who may create {@code perconaxtradbopsrequests} there.
 */
public final class CampaignResourceWatcher implements AutoCloseable {

  /** How often every object is looked at again: the latest a listed approval takes effect. */
  public static final Duration RESYNC = Duration.ofSeconds(30);

  /** The custom resource, as {@code deploy/crds/campaigns.pxops.io.yaml} declares it. */
  public static final ResourceDefinitionContext CAMPAIGN = new ResourceDefinitionContext.Builder()
      .withGroup("pxops.io").withVersion("v1alpha1").withKind("Campaign").withPlural("campaigns")
      .withNamespaced(false).build();

  private static final Logger LOG = LoggerFactory.getLogger(CampaignResourceWatcher.class);
  private static final List<String> CONTROLS = List.of("paused", "approvedStages", "cancelled");

  private final KubernetesClient client;
  private final CampaignDoor door;
  private SharedIndexInformer<GenericKubernetesResource> informer;

  /**
   * A watcher, not yet started.
   *
   * @param client the ingest's client
   * @param door the campaign door
   */
  public CampaignResourceWatcher(KubernetesClient client, CampaignDoor door) {
    this.client = client;
    this.door = door;
  }

  /**
   * Starts watching in the background. A cluster without the CRD leaves only this door shut: it is logged, and the
   * informer keeps trying (the CRD may be installed later); the other doors are not held up.
   *
   * @return this
   */
  public CampaignResourceWatcher start() {
    informer = client.genericKubernetesResources(CAMPAIGN).runnableInformer(RESYNC.toMillis());
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        look(obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        look(after);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
        // deleting the object does not stop the updates in flight; cancel first (spec.cancelled) to stop the rest
      }
    });
    informer.start().whenComplete((done, failure) -> {
      if (failure != null) {
        LOG.warn("the Campaign door is not watching yet (is deploy/crds/ installed?): {}", failure.toString());
      }
    });
    return this;
  }

  /** Runs on the informer's thread for every object anyone may create: nothing may escape from here. */
  void look(GenericKubernetesResource object) {
    try {
      handle(object);
    } catch (RuntimeException e) {
      // the next change or resync looks again
      LOG.error("campaign object {} could not be handled", object.getMetadata().getName(), e);
    }
  }

  private void handle(GenericKubernetesResource object) {
    String name = object.getMetadata().getName();
    String uid = object.getMetadata().getUid();
    JsonNode tree = JsonCodec.shared().mapper().valueToTree(object.getAdditionalProperties());
    JsonNode spec = tree.path("spec");
    JsonNode status = tree.path("status");
    boolean accepted = "Accepted".equals(status.path("phase").asText()) && uid.equals(status.path("uid").asText());
    if (!accepted) {
      if (uid.equals(status.path("uid").asText()) && "Refused".equals(status.path("phase").asText())
          && status.path("generation").asLong(-1) == generation(object)) {
        return; // refused as it stands; a change of the spec is looked at again
      }
      ObjectNode campaign = spec.isObject() ? ((ObjectNode) spec).deepCopy()
          : JsonCodec.shared().mapper().createObjectNode();
      CONTROLS.forEach(campaign::remove);
      campaign.put("name", name);
      CampaignDoor.Answer answer = door.create(campaign, uid, "kubernetes", namespaces -> Optional.empty());
      if (answer.status() == 503) {
        return; // the fleet could not be read: the next resync tries again
      }
      Map<String, Object> written = new LinkedHashMap<>();
      written.put("uid", uid);
      if (answer.status() == 202) {
        written.put("phase", "Accepted");
      } else {
        written.put("phase", "Refused");
        written.put("reason", answer.body().path("error").asText());
        written.put("field", answer.body().path("field").asText(""));
        written.put("message", answer.body().path("message").asText());
        written.put("generation", generation(object));
      }
      // a merge patch of the status subresource: no read first, and nothing but the status is written
      client.genericKubernetesResources(CAMPAIGN).withName(name).subresource("status").patch(
          PatchContext.of(PatchType.JSON_MERGE), JsonCodec.shared().mapper().createObjectNode()
              .set("status", JsonCodec.shared().mapper().valueToTree(written)).toString());
      LOG.info("campaign object {}: {}", name, written);
      if (answer.status() != 202) {
        return;
      }
    }
    controls(name, spec);
  }

  private void controls(String name, JsonNode spec) {
    if (spec.path("paused").isBoolean()) {
      door.control(name, spec.path("paused").asBoolean() ? "pause" : "resume", null, "kubernetes");
    }
    for (JsonNode stage : spec.path("approvedStages")) {
      door.control(name, "approve", JsonCodec.shared().mapper().createObjectNode().put("stage", stage.asText()),
          "kubernetes");
    }
    if (spec.path("cancelled").asBoolean(false)) {
      door.control(name, "cancel", null, "kubernetes");
    }
  }

  private static long generation(GenericKubernetesResource object) {
    Long g = object.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
