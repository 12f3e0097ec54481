package io.pxops.events.campaign;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A record of the campaigns' log ({@code pxops.campaigns}, keyed by campaign name), in JSON with
 * its kind in {@code "type"}; the published schema is {@code
 * docs/schema/campaign-record.schema.json}. The log holds a campaign's inputs (from its doors, its
 * members' results) and, written back by the coordinator, its decisions ({@link Decided}) and
 * progress ({@link Progress}); a reader of inputs skips those two, as the coordinator skips its own
 * outputs on {@code pxops.events}. The time of an input is its record's timestamp: the state
 * machine takes time as an argument, never from a clock of its own.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CampaignRecord.Create.class, name = "Create"),
  @JsonSubTypes.Type(value = CampaignRecord.Approve.class, name = "Approve"),
  @JsonSubTypes.Type(value = CampaignRecord.Pause.class, name = "Pause"),
  @JsonSubTypes.Type(value = CampaignRecord.Resume.class, name = "Resume"),
  @JsonSubTypes.Type(value = CampaignRecord.Cancel.class, name = "Cancel"),
  @JsonSubTypes.Type(value = CampaignRecord.MemberFinished.class, name = "MemberFinished"),
  @JsonSubTypes.Type(value = CampaignRecord.Decided.class, name = "Decided"),
  @JsonSubTypes.Type(value = CampaignRecord.Progress.class, name = "Progress")
})
public sealed interface CampaignRecord {

  /**
   * The campaign this record is about; also the record's key.
   *
   * @return its name
   */
  String campaign();

  /**
   * Begin a campaign: its spec as written (read with {@link CampaignSpecJson}) and the fleet the
   * door saw when it was created (read with {@link FleetListing}; the plan is made from both, so
   * the same record always gives the same plan). A campaign whose earlier run has not finished
   * ignores it.
   *
   * @param campaign its name ({@code spec.name})
   * @param uid this run's id, unique among runs of the same name; it is part of each member's
   *     {@code clientRequestId}, so a later run of the same name submits its own requests
   * @param by who asked
   * @param spec the campaign spec
   * @param fleet the fleet listing
   */
  record Create(String campaign, String uid, String by, JsonNode spec, JsonNode fleet)
      implements CampaignRecord {}

  /**
   * Approve a stage that waits for approval.
   *
   * @param campaign the campaign
   * @param stage the stage's name
   * @param by who
   */
  record Approve(String campaign, String stage, String by) implements CampaignRecord {}

  /**
   * Start no further member until resumed.
   *
   * @param campaign the campaign
   * @param by who
   */
  record Pause(String campaign, String by) implements CampaignRecord {}

  /**
   * Start members again after a pause.
   *
   * @param campaign the campaign
   * @param by who
   */
  record Resume(String campaign, String by) implements CampaignRecord {}

  /**
   * Start no further member; the campaign ends once the running ones finish.
   *
   * @param campaign the campaign
   * @param by who
   */
  record Cancel(String campaign, String by) implements CampaignRecord {}

  /**
   * A member's ordinary update request ended (written by the coordinator from the lifecycle log).
   *
   * @param campaign the campaign
   * @param uid the run that submitted it (a result of an earlier run is ignored)
   * @param database {@code namespace/name}
   * @param opsRequest the member's ops request, {@code namespace/name}
   * @param succeeded whether it ended {@code Successful}
   * @param reason why it failed, or the phase
   */
  record MemberFinished(
      String campaign,
      String uid,
      String database,
      String opsRequest,
      boolean succeeded,
      String reason)
      implements CampaignRecord {}

  /**
   * One decision of the campaign's state machine, a {@link CampaignEvent} by its simple name.
   *
   * @param campaign the campaign
   * @param uid its run
   * @param event the event's type ({@code StageStarted}, ...)
   * @param payload the event's fields
   */
  record Decided(String campaign, String uid, String event, JsonNode payload)
      implements CampaignRecord {

    private static final Map<String, Class<?>> TYPES =
        Arrays.stream(CampaignEvent.class.getPermittedSubclasses())
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

    /**
     * The record of an event.
     *
     * @param campaign the campaign
     * @param uid its run
     * @param event the event
     * @return its record
     */
    public static Decided of(String campaign, String uid, CampaignEvent event) {
      return new Decided(
          campaign,
          uid,
          event.getClass().getSimpleName(),
          JsonCodec.shared().mapper().valueToTree(event));
    }

    /**
     * The event this record holds.
     *
     * @return the event, or empty if the type is unknown or its fields do not fit
     */
    @JsonIgnore
    public Optional<CampaignEvent> decoded() {
      Class<?> type = TYPES.get(event);
      if (type == null || payload == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            (CampaignEvent) JsonCodec.shared().mapper().treeToValue(payload, type));
      } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * A campaign's progress after a decision, for the views (the status projector copies it).
   *
   * @param campaign the campaign
   * @param uid its run
   * @param at the time of the decision
   * @param progress per stage: done, running, failed, waiting; the phase
   * @param allowedFailures the failure budget: failures tolerated
   * @param failed failures so far
   * @param refused databases selected that admission would refuse (in no stage)
   * @param failures the failed members with their reasons, in the order they failed, at most {@link
   *     #MAX_FAILURES_LISTED} ({@code failed} counts them all); the coordinator leaves it empty and the status
   *     projector fills it from the run's {@code DatabaseUpdateFinished} decisions, so the views say which
   *     databases failed and why, not only how many
   */
  record Progress(
      String campaign,
      String uid,
      java.time.Instant at,
      CampaignProgress progress,
      int allowedFailures,
      int failed,
      int refused,
      java.util.List<FailedMember> failures)
      implements CampaignRecord {

    /**
     * How many failed members a progress lists: it is copied onto the Campaign object's status, which must stay
     * far below the API server's object size limit whatever the fleet (a budget of 10 % of 5,000 databases would
     * otherwise list 500 reasons).
     */
    public static final int MAX_FAILURES_LISTED = 50;

    /** A record without failures listed reads as an empty list. */
    public Progress {
      failures = failures == null ? java.util.List.of() : java.util.List.copyOf(failures);
    }

    /**
     * A progress without failures listed, as the coordinator writes it.
     *
     * @param campaign the campaign
     * @param uid its run
     * @param at the time of the decision
     * @param progress per stage: done, running, failed, waiting; the phase
     * @param allowedFailures the failure budget: failures tolerated
     * @param failed failures so far
     * @param refused databases selected that admission would refuse (in no stage)
     */
    public Progress(String campaign, String uid, java.time.Instant at, CampaignProgress progress,
        int allowedFailures, int failed, int refused) {
      this(campaign, uid, at, progress, allowedFailures, failed, refused, java.util.List.of());
    }

    /**
     * This progress listing {@code failures} instead.
     *
     * @param failures the failed members
     * @return the copy
     */
    public Progress withFailures(java.util.List<FailedMember> failures) {
      return new Progress(campaign, uid, at, progress, allowedFailures, failed, refused, failures);
    }

    /**
     * This progress with one more failed member listed, unless {@link #MAX_FAILURES_LISTED} are already or the
     * database is listed (a result delivered twice is decided once, but a reader must not count on it).
     *
     * @param member the failed member
     * @return the copy, or this
     */
    public Progress withFailure(FailedMember member) {
      if (failures.size() >= MAX_FAILURES_LISTED
          || failures.stream().anyMatch(f -> f.database().equals(member.database()))) {
        return this;
      }
      java.util.List<FailedMember> more = new java.util.ArrayList<>(failures);
      more.add(member);
      return withFailures(more);
    }
  }

  /**
   * A member whose update failed.
   *
   * @param database {@code namespace/name}
   * @param reason why, as its update request ended (the rule it was refused by, or the failed step's reason)
   */
  record FailedMember(String database, String reason) {}

  /**
   * How a member's update request names its campaign: its {@code clientRequestId} is {@code
   * campaign/<campaign>/<uid>/<namespace>/<database>}. The id is carried by every door onto the
   * request object and into {@code RequestAdmitted}, so the request stays ordinary (same admission,
   * same queue) and its result still finds its campaign; and the same id twice is admitted once.
   */
  final class Link {
    /** The prefix of a member's {@code clientRequestId}. */
    public static final String PREFIX = "campaign/";

    private Link() {}

    /**
     * A member's {@code clientRequestId}.
     *
     * @param campaign the campaign
     * @param uid its run
     * @param database {@code namespace/name}
     * @return the id
     */
    public static String clientRequestId(String campaign, String uid, String database) {
      return PREFIX + campaign + "/" + uid + "/" + database;
    }

    /**
     * Reads a {@code clientRequestId}.
     *
     * @param clientRequestId any id, or null
     * @return {@code [campaign, uid, database]} if it is a member's, else empty
     */
    public static Optional<String[]> parse(String clientRequestId) {
      if (clientRequestId == null || !clientRequestId.startsWith(PREFIX)) {
        return Optional.empty();
      }
      String[] parts = clientRequestId.substring(PREFIX.length()).split("/", 3);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].contains("/")) {
        return Optional.empty();
      }
      return Optional.of(parts);
    }
  }
}
