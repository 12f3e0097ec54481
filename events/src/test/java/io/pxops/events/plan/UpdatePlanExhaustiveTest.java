package io.pxops.events.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.Envelope;
import io.pxops.events.Golden;
import io.pxops.events.JsonCodec;
import io.pxops.events.Message;
import io.pxops.events.MessageTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reachable kind of state × every message type of the registry, with matching and
 * non-matching causation and ops request: {@code decide} never throws, the invariants hold, terminal
 * phases are absorbing, and feeding the same input twice changes nothing the second time. Message
 * samples are the golden fixtures, aimed at the state (pod, step, request names), so a new message
 * type is covered as soon as it has its fixture.
 */
class UpdatePlanExhaustiveTest {

  private static final Map<String, PlanDriver.Snapshot> CORPUS = StateCorpus.build();
  private static final String STALE_ID = "00000000-0000-4000-8000-000000000001";
  private static final String UNKNOWN_REF = "shop/upd-new";

  @Test
  void givenTheCorpus_whenBuilt_thenItCoversEveryKindOfState() {
    Set<String> kinds = CORPUS.keySet();

    assertThat(kinds).hasSizeGreaterThan(60);
    for (String needle :
        List.of(
            "idle | pending 0 | finished []",
            "PREFLIGHT",
            "VERIFY_CLUSTER",
            "PAUSE_DATABASE paused",
            "UPDATE_PETSET paused",
            "EVICT_POD@first",
            "EVICT_POD@middle",
            "EVICT_POD@last",
            "CHECK_POD_RUNNING@middle",
            "VERIFY_POD@last",
            "UPDATE_DATABASE paused",
            "RESUME_DATABASE paused",
            "RESUME_DATABASE failing paused",
            "corrective",
            "retried",
            "pending 1",
            "pending 1 replay",
            "Successful",
            "Failed]",
            "Failed(paused)",
            "Skipped",
            "full",
            "idle | pending 1 waiting",
            "EVICT_POD@first paused waiting",
            "EVICT_POD@middle paused waiting",
            "waiting | pending 1")) {
      assertThat(kinds).as("a state kind containing \"" + needle + "\"").anyMatch(k -> k.contains(needle));
    }
  }

  @TestFactory
  Stream<DynamicTest> givenEveryStateKind_whenEveryMessageTypeArrives_thenTheInvariantsHold() {
    return CORPUS.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> exercise(e.getKey(), e.getValue())));
  }

  @TestFactory
  Stream<DynamicTest> givenEveryStateKind_whenTicked_thenOnlyALateStepTimesOutAndOnlyOnce() {
    return CORPUS.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> tick(e.getKey(), e.getValue())));
  }

  private static void exercise(String kind, PlanDriver.Snapshot snapshot) {
    DatabaseState state = snapshot.state();
    PlanInvariants.checkState(state, kind);
    SequentialIds inputIds = new SequentialIds("eeeeeeee");
    int fed = 0;
    for (String type : MessageTypes.all().keySet()) {
      for (String ref : refs(state)) {
        for (Message payload : samples(type, ref, state)) {
          for (String causation : causations(state)) {
            Envelope input =
                Envelope.of(inputIds.nextId(), ref, state.database(), snapshot.now(), causation, payload);
            String context = kind + " <- " + type + " " + ref + " caused by " + causation;
            SequentialIds planIds = new SequentialIds("00000000");

            Decision first = UpdatePlan.decide(state, input, snapshot.now(), planIds);
            PlanInvariants.checkDecision(
                state, first, input.eventId(), PlanInvariants.replayTarget(input), context);
            Decision again = UpdatePlan.decide(first.next(), input, snapshot.now(), planIds);
            assertThat(again.out()).as(context + ": the same input again writes nothing").isEmpty();
            assertThat(again.next()).as(context + ": the same input again changes nothing").isEqualTo(first.next());
            fed++;
          }
        }
      }
    }
    assertThat(fed).isGreaterThanOrEqualTo(MessageTypes.all().size() * 2);
  }

  private static void tick(String kind, PlanDriver.Snapshot snapshot) {
    DatabaseState state = snapshot.state();
    SequentialIds ids = new SequentialIds("00000000");
    RequestProgress active = state.active();
    if (state.wakeAt() != null && (active == null || active.waitingForWindow())) {
      windowOpens(kind, state, ids);
      return;
    }
    Instant onTime = active == null ? snapshot.now().plusSeconds(86_400) : active.stepDeadline();

    Decision early = UpdatePlan.onTick(state, onTime, ids);
    assertThat(early.out()).as(kind + ": nothing is late").isEmpty();
    assertThat(early.next()).isSameAs(state);
    if (active == null) {
      return;
    }

    Instant late = active.stepDeadline().plusMillis(1);
    Decision timedOut = UpdatePlan.onTick(state, late, ids);
    PlanInvariants.checkDecision(state, timedOut, active.awaitingCommandId(), null, kind + " <- tick");
    assertThat(timedOut.out().get(0).type()).isEqualTo("StepTimedOut");
    assertThat(timedOut.out()).extracting(Envelope::type).contains("StepTimedOut");
    Decision again = UpdatePlan.onTick(timedOut.next(), late, ids);
    assertThat(again.out()).as(kind + ": a second tick at the same time writes nothing").isEmpty();
  }

  /** A request waiting for its window: nothing before the opening, ever times out; it goes on at the opening. */
  private static void windowOpens(String kind, DatabaseState state, SequentialIds ids) {
    Instant opens = state.wakeAt();
    for (Instant before : List.of(opens.minusMillis(1), opens.minus(java.time.Duration.ofDays(3)))) {
      Decision early = UpdatePlan.onTick(state, before, ids);
      assertThat(early.out()).as(kind + ": nothing before the window opens, no timeout").isEmpty();
      assertThat(early.next()).isSameAs(state);
    }

    Decision opened = UpdatePlan.onTick(state, opens, ids);
    PlanInvariants.checkDecision(state, opened, null, null, kind + " <- tick at the opening");
    assertThat(opened.out()).extracting(Envelope::type)
        .as(kind + ": the window opened: the next step starts")
        .contains("StepStarted")
        .doesNotContain("StepTimedOut", "RequestWaitingForWindow");
    assertThat(opened.next().wakeAt()).isEqualTo(opened.next().active().stepDeadline());
    Decision again = UpdatePlan.onTick(opened.next(), opens, ids);
    assertThat(again.out()).as(kind + ": a second tick at the same time writes nothing").isEmpty();
  }

  /** The active, pending and some finished requests, and one the database does not know. */
  private static List<String> refs(DatabaseState state) {
    Set<String> refs = new LinkedHashSet<>();
    if (state.active() != null) {
      refs.add(state.active().ref());
    }
    state.pending().forEach(p -> refs.add(p.ref()));
    Iterator<RequestProgress> finished = state.finished().values().iterator();
    RequestProgress last = null;
    while (finished.hasNext()) {
      RequestProgress p = finished.next();
      if (refs.size() < 4 || p.phase() == io.pxops.events.OpsPhase.FAILED && refs.size() < 6) {
        refs.add(p.ref());
      }
      last = p;
    }
    if (last != null) {
      refs.add(last.ref());
    }
    refs.add(UNKNOWN_REF);
    return new ArrayList<>(refs);
  }

  private static List<String> causations(DatabaseState state) {
    List<String> causations = new ArrayList<>();
    if (state.active() != null) {
      causations.add(state.active().awaitingCommandId());
    }
    causations.add(STALE_ID);
    causations.add(null);
    return causations;
  }

  /** The golden payload of a type, aimed at the state, plus one variant per boolean field flipped. */
  private static List<Message> samples(String type, String ref, DatabaseState state) {
    ObjectNode payload = (ObjectNode) Golden.tree(type).get("payload").deepCopy();
    aim(payload, type, ref, state);
    List<ObjectNode> variants = new ArrayList<>();
    variants.add(payload);
    payload.fields().forEachRemaining(
        field -> {
          if (field.getValue().isBoolean()) {
            ObjectNode flipped = payload.deepCopy();
            flipped.put(field.getKey(), !field.getValue().booleanValue());
            variants.add(flipped);
          }
        });
    List<Message> samples = new ArrayList<>();
    for (ObjectNode variant : variants) {
      try {
        samples.add(JsonCodec.shared().mapper().treeToValue(variant, MessageTypes.all().get(type)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("cannot build a sample of " + type + " from " + variant, e);
      }
    }
    return samples;
  }

  private static void aim(ObjectNode payload, String type, String ref, DatabaseState state) {
    String namespace = ref.substring(0, ref.indexOf('/'));
    String name = ref.substring(ref.indexOf('/') + 1);
    String database = state.database().substring(state.database().indexOf('/') + 1);
    JsonNode spec = payload.get("spec");
    if (spec instanceof ObjectNode) {
      ((ObjectNode) spec).put("name", name).put("namespace", namespace).put("database", database);
    }
    if (type.equals("RequestRejected")) {
      payload.put("name", name).put("namespace", namespace).put("database", database);
    }
    RequestProgress active = state.active();
    if (active != null) {
      if (payload.has("step")) {
        payload.put("step", active.step().name());
        if (active.pod() != null) {
          payload.put("pod", active.pod());
        } else {
          payload.remove("pod");
        }
      } else if (payload.has("pod") && active.pod() != null) {
        payload.put("pod", active.pod());
      }
    }
  }
}
