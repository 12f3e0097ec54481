package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignPlan;
import io.pxops.events.campaign.CampaignPlanner;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.events.campaign.CampaignSpec;
import io.pxops.events.campaign.CampaignSpecJson;
import io.pxops.events.campaign.FleetListing;
import io.pxops.events.campaign.Violation;
import io.pxops.pipeline.doorauth.DoorRefusal;
import io.pxops.pipeline.steps.ErrorClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every campaign door does with what a user asks, as a function of the ask (so it is tested
 * without a server): a spec is read and checked like {@code pxops plan} checks it, the fleet is read
 * from Kubernetes, the campaign is planned (to check who may do it, and to answer with the plan),
 * and only then is one record written to {@code pxops.campaigns}. A refusal names the field and the
 * rule, and writes nothing.
 *
 * <p>Who may: a campaign submits an ordinary update request for each member, so creating one needs
 * what submitting those needs: {@code create} on {@code perconaxtradbopsrequests.ops.kubedb.com} in
 * every namespace it would touch. Pausing, resuming, approving or cancelling one needs {@code update}
 * or {@code patch} on them in every namespace (a campaign spans namespaces; the door does not keep
 * campaigns, so it cannot ask about one campaign's namespaces alone).
 */
public final class CampaignDoor {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignDoor.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** The refusal rule of a create whose selection matches nothing to update. */
  public static final String NO_MEMBERS = "NoMembers";

  /**
   * A door's answer.
   *
   * @param status the HTTP status (202 taken, 4xx refused, 503 try again)
   * @param body the JSON body: on a refusal {@code error} (the rule), {@code field}, {@code message}
   *     and, for a spec, every {@code violations}
   */
  public record Answer(int status, ObjectNode body) {}

  private final Supplier<JsonNode> fleet;
  private final Consumer<CampaignRecord> publish;

  /**
   * A door.
   *
   * @param fleet reads the fleet now ({@link CampaignFleetReader#read})
   * @param publish writes a record to {@code pxops.campaigns} and returns once it is acknowledged
   */
  public CampaignDoor(Supplier<JsonNode> fleet, Consumer<CampaignRecord> publish) {
    this.fleet = fleet;
    this.publish = publish;
  }

  /**
   * Creates a campaign.
   *
   * @param spec the spec as sent, or null if the body was not JSON
   * @param uid the run's id (the custom resource's uid), or null for a new one
   * @param by who asks
   * @param mayCreateIn the caller's refusal for a set of namespaces, or empty if it may create in all
   * @return 202 with the plan, or the refusal
   */
  public Answer create(JsonNode spec, String uid, String by,
      Function<Set<String>, Optional<DoorRefusal>> mayCreateIn) {
    Object checked = check(spec, mayCreateIn);
    if (checked instanceof Answer refusal) {
      return refusal;
    }
    Checked c = (Checked) checked;
    CampaignPlan plan = c.plan();
    String run = uid == null || uid.isBlank() ? UUID.randomUUID().toString().substring(0, 8) : uid;
    publish.accept(new CampaignRecord.Create(c.spec().name(), run, by, spec, c.listing()));
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("campaign", c.spec().name()).put("uid", run);
    ArrayNode stages = body.putArray("stages");
    plan.stages().forEach(s -> {
      ObjectNode o = stages.addObject().put("name", s.name()).put("maxConcurrent", s.maxConcurrent());
      ArrayNode dbs = o.putArray("databases");
      s.members().forEach(m -> dbs.add(m.database() + " " + m.fromVersion() + " -> " + m.targetVersion()));
    });
    ArrayNode refused = body.putArray("refused");
    plan.refused().forEach(r -> refused.addObject().put("database", r.database()).put("rule", r.rule())
        .put("message", r.message()));
    body.putPOJO("leftOut", plan.leftOut());
    body.put("allowedFailures", plan.allowedFailures());
    return new Answer(202, body);
  }

  /**
   * A create's dry run: the same checks, the same fleet read and the same plan as {@link #create}, refused alike
   * (the same status, rule and field), and nothing written: no record on {@code pxops.campaigns}.
   *
   * @param spec the spec as sent, or null if the body was not JSON
   * @param mayCreateIn the caller's refusal for a set of namespaces, or empty if it may create in all (a dry run
   *     asks what the create asks: it shows the same databases, versions and refusals)
   * @param answer the body of an admitted plan ({@link CampaignDryRun#answer})
   * @return 200 with {@code answer}'s body, or the refusal the create would answer with
   */
  public Answer dryRun(JsonNode spec, Function<Set<String>, Optional<DoorRefusal>> mayCreateIn,
      Function<CampaignPlan, ObjectNode> answer) {
    Object checked = check(spec, mayCreateIn);
    if (checked instanceof Answer refusal) {
      return refusal;
    }
    return new Answer(200, answer.apply(((Checked) checked).plan()));
  }

  /** A spec that passed every check, with the fleet it was planned over and its plan. */
  private record Checked(CampaignSpec spec, JsonNode listing, CampaignPlan plan) {}

  /** Checks a create: the refusal's {@link Answer}, or the {@link Checked} plan. Writes nothing. */
  private Object check(JsonNode spec, Function<Set<String>, Optional<DoorRefusal>> mayCreateIn) {
    if (spec == null || !spec.isObject()) {
      return refused(400, "NotJson", "body", "the body must be a JSON object: the campaign spec", List.of());
    }
    CampaignSpecJson.Result read = CampaignSpecJson.read(spec);
    if (!read.violations().isEmpty()) {
      Violation first = read.violations().get(0);
      return refused(400, first.rule(), first.field(), first.message(), read.violations());
    }
    JsonNode listing;
    try {
      listing = fleet.get();
    } catch (RuntimeException e) {
      if (ErrorClassifier.classify(e) != ErrorClassifier.ErrorClass.RETRIABLE) {
        throw e;
      }
      LOG.warn("could not read the fleet: {}", e.toString());
      return refused(503, "Unavailable", null, "the Kubernetes API is not reachable now; try again", List.of());
    }
    List<Violation> problems = new ArrayList<>();
    FleetListing f = FleetListing.read(listing, problems);
    CampaignPlan plan = CampaignPlanner.plan(read.spec(), f.databases(), f.namespaceLabels(),
        f.namespaceWindows(), f.updateCatalog());
    if (plan.members().isEmpty()) {
      return refused(422, NO_MEMBERS, "selection", "the campaign would update no database: "
          + plan.refused().size() + " selected ones are refused by admission " + plan.refused(), List.of());
    }
    Set<String> namespaces = new TreeSet<>();
    plan.members().forEach(m -> namespaces.add(m.database().substring(0, m.database().indexOf('/'))));
    Optional<DoorRefusal> refusal = mayCreateIn.apply(namespaces);
    if (refusal.isPresent()) {
      return refused(refusal.get());
    }
    return new Checked(read.spec(), listing, plan);
  }

  /**
   * Approves, pauses, resumes or cancels a campaign.
   *
   * @param name the campaign
   * @param action {@code approve}, {@code pause}, {@code resume} or {@code cancel}
   * @param body the body ({@code {"stage": ...}} to approve), or null
   * @param by who asks
   * @return 202, or the refusal
   */
  public Answer control(String name, String action, JsonNode body, String by) {
    if (name == null || !NAME.matcher(name).matches()) {
      return refused(400, "InvalidName", "name", "the campaign name \"" + cut(name)
          + "\" must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters", List.of());
    }
    CampaignRecord record;
    switch (action) {
      case "approve" -> {
        JsonNode stage = body == null ? null : body.get("stage");
        if (stage == null || !stage.isTextual() || stage.asText().isBlank()) {
          return refused(400, "Required", "stage", "approve needs the stage to approve: {\"stage\": \"<name>\"}",
              List.of());
        }
        record = new CampaignRecord.Approve(name, stage.asText(), by);
      }
      case "pause" -> record = new CampaignRecord.Pause(name, by);
      case "resume" -> record = new CampaignRecord.Resume(name, by);
      case "cancel" -> record = new CampaignRecord.Cancel(name, by);
      default -> {
        return refused(404, "UnknownAction", "action", "no action \"" + cut(action)
            + "\": approve, pause, resume or cancel", List.of());
      }
    }
    publish.accept(record);
    ObjectNode answer = JsonCodec.shared().mapper().createObjectNode();
    answer.put("campaign", name).put("action", action);
    return new Answer(202, answer);
  }

  static Answer refused(DoorRefusal r) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode().put("error", r.rule())
        .put("field", r.status() == 401 ? "Authorization" : null).put("message", r.message());
    if (r.status() == 403) {
      body.putPOJO("verbs", r.verbs());
      body.put("resource", r.resource()).put("namespace", r.namespace());
    }
    return new Answer(r.status(), body);
  }

  private static Answer refused(int status, String rule, String field, String message, List<Violation> all) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode().put("error", rule).put("field", field)
        .put("message", message);
    if (!all.isEmpty()) {
      ArrayNode v = body.putArray("violations");
      all.forEach(x -> v.addObject().put("field", x.field()).put("rule", x.rule()).put("message", x.message()));
    }
    return new Answer(status, body);
  }

  private static String cut(String s) {
    return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
