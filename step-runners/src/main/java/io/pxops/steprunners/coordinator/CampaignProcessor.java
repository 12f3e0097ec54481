package io.pxops.steprunners.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.DeadLetter;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignDecider;
import io.pxops.events.campaign.CampaignEvent;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignInput;
import io.pxops.events.campaign.CampaignPlan;
import io.pxops.events.campaign.CampaignPlanner;
import io.pxops.events.campaign.CampaignProgress;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.events.campaign.CampaignSpecJson;
import io.pxops.events.campaign.CampaignState;
import io.pxops.events.campaign.CampaignState.MemberPhase;
import io.pxops.events.campaign.FleetListing;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowJson;
import io.pxops.events.campaign.Violation;
import io.pxops.pipeline.DeadLetters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each campaign's state machine ({@link CampaignDecider}) on the records of {@code
 * pxops.campaigns}; see {@link CampaignTopology}.
 *
 * <p>Each input is decided at its record's timestamp, each wake-up at the punctuator's time: the
 * decider reads no clock. The run (create record and decisions) is stored, and the decisions, the
 * member requests and the progress are forwarded, in one exactly-once transaction: after a crash
 * either all of a decision is kept or none of it, and the input is decided again from the same
 * state, so a member's request is written once. Should it ever be written twice (at-least-once
 * deployments), its {@code clientRequestId} is the same, and the door admits it once.
 */
final class CampaignProcessor implements Processor<String, byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignProcessor.class);

  /** The dead-letter problem of a record that is not a campaign record, or whose spec or fleet is invalid. */
  static final String INVALID = "InvalidCampaignRecord";

  /** The dead-letter problem of a valid record the state machine threw on (a bug). */
  static final String DECIDER_FAILED = "CampaignDeciderFailed";

  /** Campaign states kept in memory between records, so each record need not replay the whole run. */
  private static final int CACHED_STATES = 256;

  /**
   * A campaign's run as stored: the create record (planned again on a cold start: the planner is
   * pure, so the same record always gives the same plan) and the state's own fields. Not the list
   * of decisions: a campaign of 1,000 databases makes some 3,000, and a store value (and its
   * changelog record) must stay well under the broker's 1 MB limit; the decisions are on {@code
   * pxops.campaigns} already.
   *
   * @param create the record that began it
   * @param decisions how many decisions so far (to know a cached state is current)
   * @param state the state's fields, without the plan
   */
  record Run(CampaignRecord.Create create, long decisions, Snapshot state) {}

  /** {@link CampaignState} without its plan; see {@link CampaignState} for each field. */
  record Snapshot(
      java.util.Map<String, MemberPhase> members,
      boolean started,
      int stage,
      CampaignState.StagePhase stagePhase,
      Instant waitUntil,
      boolean paused,
      boolean cancelled,
      boolean budgetExhausted,
      CampaignEvent.Outcome outcome) {

    static Snapshot of(CampaignState s) {
      return new Snapshot(s.members(), s.started(), s.stage(), s.stagePhase(), s.waitUntil(), s.paused(),
          s.cancelled(), s.budgetExhausted(), s.outcome());
    }

    CampaignState with(CampaignPlan plan) {
      return new CampaignState(plan, members, started, stage, stagePhase, waitUntil, paused, cancelled,
          budgetExhausted, outcome);
    }
  }

  private final Duration tickInterval;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Run> runs;
  private KeyValueStore<String, Long> wakeups;
  private final Map<String, Cached> states =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
          return size() > CACHED_STATES;
        }
      };

  private record Cached(String uid, long decisions, CampaignState state) {}

  CampaignProcessor(Duration tickInterval) {
    this.tickInterval = tickInterval;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.runs = context.getStateStore(CampaignTopology.RUNS_STORE);
    this.wakeups = context.getStateStore(CampaignTopology.WAKEUPS_STORE);
    context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    CampaignRecord input;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value");
      }
      input = JsonCodec.shared().mapper().readValue(record.value(), CampaignRecord.class);
      if (input.campaign() == null || input.campaign().isBlank()) {
        throw new IllegalArgumentException("campaign: is required (Required)");
      }
    } catch (java.io.IOException | RuntimeException e) {
      deadLetter(record, INVALID, "not a campaign record: " + e.getMessage());
      return;
    }
    if (input instanceof CampaignRecord.Decided || input instanceof CampaignRecord.Progress) {
      return; // our own outputs, read back
    }
    Instant now = Instant.ofEpochMilli(record.timestamp());
    try {
      if (input instanceof CampaignRecord.Create create) {
        create(record, create, now);
      } else {
        other(input, now);
      }
    } catch (RuntimeException e) {
      // the decider is pure and tested, so this is a bug; an exception would kill the stream thread the update
      // plan runs on too, and the restarted coordinator would read the same record and die again
      LOG.error("campaign {}: the state machine could not apply {}", input.campaign(), input, e);
      deadLetter(record, DECIDER_FAILED, "the campaign state machine could not apply it: " + e);
    }
  }

  private void create(Record<String, byte[]> record, CampaignRecord.Create create, Instant now) {
    if (create.fleet() == null || create.fleet().isNull()) {
      return; // a Kafka client's create: the ingest's Kafka door completes it with the fleet and writes it again
    }
    Optional<CampaignState> existing = state(create.campaign());
    Run before = runs.get(create.campaign());
    if (before != null && create.uid() != null && create.uid().equals(before.create().uid())) {
      // the same run asked for again (a door's retry, the custom resource seen again): it has started already
      return;
    }
    if (existing.isPresent() && !existing.get().finished()) {
      // a repeated create (a door's retry) or a second one while the first runs: the run in hand goes on
      LOG.info("campaign {}: created again while it runs; ignored", create.campaign());
      return;
    }
    List<Violation> violations = new ArrayList<>();
    Optional<CampaignPlan> plan = plan(create, violations);
    if (plan.isEmpty()) {
      deadLetter(record, INVALID, "the campaign cannot be planned: " + violations);
      return;
    }
    String uid = create.uid() == null || create.uid().isBlank()
        ? Long.toHexString(record.timestamp()) : create.uid();
    CampaignRecord.Create kept = new CampaignRecord.Create(create.campaign(), uid, create.by(), create.spec(),
        create.fleet());
    CampaignState initial = CampaignDecider.initial(plan.get());
    Run run = new Run(kept, 0, Snapshot.of(initial));
    states.put(create.campaign(), new Cached(uid, 0, initial));
    decide(run, initial, new CampaignInput.Start(), now, true);
  }

  private void other(CampaignRecord input, Instant now) {
    Run run = runs.get(input.campaign());
    if (run == null) {
      LOG.info("campaign {}: no such campaign; {} ignored", input.campaign(), input.getClass().getSimpleName());
      return;
    }
    CampaignInput decided;
    if (input instanceof CampaignRecord.Approve a) {
      decided = new CampaignInput.Approve(a.stage(), a.by());
    } else if (input instanceof CampaignRecord.Pause p) {
      decided = new CampaignInput.Pause(p.by());
    } else if (input instanceof CampaignRecord.Resume r) {
      decided = new CampaignInput.Resume(r.by());
    } else if (input instanceof CampaignRecord.Cancel c) {
      decided = new CampaignInput.Cancel(c.by());
    } else if (input instanceof CampaignRecord.MemberFinished f) {
      if (!run.create().uid().equals(f.uid())) {
        return; // a request of an earlier run of the same name
      }
      decided = new CampaignInput.UpdateFinished(f.database(), f.succeeded(), f.reason());
    } else {
      return;
    }
    decide(run, state(input.campaign()).orElseThrow(), decided, now, false);
  }

  /** Wakes the campaigns whose wait gate ends or whose member's window opens by now. */
  private void tick(long wallClockMillis) {
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = wakeups.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> entry = it.next();
        if (entry.value != null && entry.value <= wallClockMillis) {
          due.add(entry.key);
        }
      }
    }
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    for (String campaign : due) {
      try {
        Run run = runs.get(campaign);
        if (run == null) {
          wakeups.delete(campaign);
          continue;
        }
        decide(run, state(campaign).orElseThrow(), new CampaignInput.Tick(), now, false);
      } catch (RuntimeException e) {
        // one campaign's bug must not stop the others' wake-ups, nor the stream thread; it is tried again next tick
        LOG.error("campaign {}: could not wake it up", campaign, e);
      }
    }
  }

  private void decide(Run run, CampaignState state, CampaignInput input, Instant now, boolean created) {
    String campaign = run.create().campaign();
    String uid = run.create().uid();
    CampaignDecider.Step step = CampaignDecider.step(state, input, now);
    long decisions = run.decisions() + step.events().size();
    Optional<Instant> wake = CampaignDecider.nextWakeUp(step.state(), now);
    if (wake.isPresent()) {
      wakeups.put(campaign, wake.get().toEpochMilli());
    } else {
      wakeups.delete(campaign);
    }
    if (step.events().isEmpty() && !created) {
      return;
    }
    runs.put(campaign, new Run(run.create(), decisions, Snapshot.of(step.state())));
    states.put(campaign, new Cached(uid, decisions, step.state()));
    long timestamp = now.toEpochMilli();
    for (CampaignEvent event : step.events()) {
      LOG.info("campaign {}: {}", campaign, event);
      forward(campaign, encode(CampaignRecord.Decided.of(campaign, uid, event)), timestamp,
          CampaignTopology.LOG_SINK);
      if (event instanceof DatabaseUpdateRequested member) {
        forward(member.database(), memberRequest(campaign, uid, member, windowOf(step.state(), member.database())),
            timestamp, CampaignTopology.REQUESTS_SINK);
      }
    }
    CampaignState s = step.state();
    forward(campaign, encode(new CampaignRecord.Progress(campaign, uid, now, CampaignProgress.of(s),
        s.plan().allowedFailures(), s.count(MemberPhase.FAILED), s.plan().refused().size())), timestamp,
        CampaignTopology.LOG_SINK);
  }

  /** A member's effective window: its own, its namespaces' and the campaign's, as the planner intersected them. */
  private static MaintenanceWindow windowOf(CampaignState state, String database) {
    return state.plan().members().stream().filter(m -> m.database().equals(database)).findFirst()
        .map(CampaignPlan.PlannedMember::window).orElse(MaintenanceWindow.ALWAYS);
  }

  /** A member's update without a window; see {@link #memberRequest(String, String, DatabaseUpdateRequested, MaintenanceWindow)}. */
  static byte[] memberRequest(String campaign, String uid, DatabaseUpdateRequested member) {
    return memberRequest(campaign, uid, member, MaintenanceWindow.ALWAYS);
  }

  /**
   * A member's update as any client writes it to {@code pxops.requests} (its published schema): the
   * ingest's defaults for timeout and retries, the campaign's link as its {@code clientRequestId}, and
   * the member's effective window, so that an update started inside it also stops at its end (the
   * campaign only decides when it starts; the update plan holds it between pods).
   */
  static byte[] memberRequest(String campaign, String uid, DatabaseUpdateRequested member, MaintenanceWindow window) {
    String[] ref = member.database().split("/", 2);
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("namespace", ref[0]);
    body.put("database", ref[1]);
    body.put("targetVersion", member.targetVersion());
    body.put("clientRequestId", CampaignRecord.Link.clientRequestId(campaign, uid, member.database()));
    if (window != null && window != MaintenanceWindow.ALWAYS) {
      body.set("window", WindowJson.write(window));
    }
    try {
      return JsonCodec.shared().mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree is always writable", e);
    }
  }

  /** A campaign's state: from the cache if it is current, else its stored fields with its plan made again. */
  private Optional<CampaignState> state(String campaign) {
    Run run = runs.get(campaign);
    if (run == null) {
      return Optional.empty();
    }
    Cached cached = states.get(campaign);
    if (cached != null && cached.uid().equals(run.create().uid()) && cached.decisions() == run.decisions()) {
      return Optional.of(cached.state());
    }
    List<Violation> violations = new ArrayList<>();
    CampaignPlan plan = plan(run.create(), violations).orElseThrow(
        () -> new IllegalStateException("a stored campaign no longer plans: " + violations));
    CampaignState state = run.state().with(plan);
    states.put(campaign, new Cached(run.create().uid(), run.decisions(), state));
    return Optional.of(state);
  }

  private static Optional<CampaignPlan> plan(CampaignRecord.Create create, List<Violation> violations) {
    CampaignSpecJson.Result spec = CampaignSpecJson.read(create.spec());
    violations.addAll(spec.violations());
    FleetListing fleet = FleetListing.read(create.fleet(), violations);
    if (spec.spec() != null && !spec.spec().name().equals(create.campaign())) {
      violations.add(new Violation("campaign", "NameMismatch",
          "must be the spec's name \"" + spec.spec().name() + "\" but was \"" + create.campaign() + "\""));
    }
    if (!violations.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(CampaignPlanner.plan(spec.spec(), fleet.databases(), fleet.namespaceLabels(),
        fleet.namespaceWindows(), fleet.updateCatalog()));
  }

  static byte[] encode(CampaignRecord record) {
    try {
      return JsonCodec.shared().mapper().writerFor(CampaignRecord.class).writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a campaign record is always writable", e);
    }
  }

  private void forward(String key, byte[] value, long timestamp, String sink) {
    context.forward(new Record<String, Object>(key, value, timestamp, new RecordHeaders()), sink);
  }

  private void deadLetter(Record<String, byte[]> record, String problem, String reason) {
    DeadLetter letter = DeadLetters.of(GroupIds.COORDINATOR, context.recordMetadata().orElse(null), record.key(),
        record.value(), problem, reason, Instant.ofEpochMilli(record.timestamp()));
    LOG.warn("dead letter from {}: {} ({})", Topics.CAMPAIGNS, letter.reason(), problem);
    context.forward(record.withValue((Object) letter).withHeaders(new RecordHeaders()), CampaignTopology.DLQ_SINK);
  }
}
