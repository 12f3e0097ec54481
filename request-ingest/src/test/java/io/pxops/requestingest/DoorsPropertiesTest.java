package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.JsonCodec;
import io.pxops.events.RequestRejected;
import io.pxops.pipeline.DeadLetters;
import io.pxops.requestingest.HostileRequests.Body;
import io.pxops.requestingest.HostileRequests.InMemorySubmitter;
import io.pxops.requestingest.KafkaRequestRecords.RecordOutcome;
import io.pxops.requestingest.admission.Admission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Both doors' handling of a submitted body, as the pure functions the doors run ({@link KafkaRequestRecords#handle},
 * {@link IngestHttpServer#answer}), against hostile input: it never throws; a refusal names a field and a rule from
 * the known set; a refusal changes nothing (no object created; for Kafka, only the refusal is written); and both
 * doors give the same verdict for the same body.
 */
class DoorsPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Every rule a door may refuse with: the schema reader's, admission's, and the doors' own. */
  static final Set<String> KNOWN_RULES = known();

  private static Set<String> known() {
    Set<String> rules = new HashSet<>(UpdateRequestReader.RULES);
    rules.addAll(Admission.RULES);
    rules.addAll(Set.of("NameTaken", "BodyTooLarge"));
    return Set.copyOf(rules);
  }

  @Property
  void givenAnyRecordValueAndKey_whenTheKafkaDoorHandlesIt_thenAnOutcomeNamingFieldAndRuleAndNothingElseChanged(
      @ForAll("recordValues") byte[] value, @ForAll byte[] key) throws Exception {
    InMemorySubmitter cluster = new InMemorySubmitter();
    KafkaRequestRecords door = new KafkaRequestRecords(cluster, CLOCK);

    RecordOutcome outcome = door.handle("pxops.requests", 0, 42L, key, value);

    assertThat(outcome).as("an outage never comes from the record").isNotInstanceOf(RecordOutcome.NotNow.class);
    if (outcome instanceof RecordOutcome.Submitted) {
      assertThat(cluster.created).hasSize(1);
      return;
    }
    assertThat(cluster.created).as("a refusal creates nothing").isEmpty();
    if (outcome instanceof RecordOutcome.DeadLettered dead) {
      assertThat(dead.rule()).as(dead.letter().reason()).isIn(KNOWN_RULES);
      assertThat(dead.field()).isNotBlank();
      assertThat(dead.letter().problem()).isIn("NotJson", "WrongShape", dead.rule());
      assertThat(dead.letter().reason()).contains(dead.rule()).contains(dead.field());
      assertThat(JsonCodec.shared().mapper().writeValueAsBytes(dead.letter()).length)
          .isLessThan(DeadLetters.MAX_LETTER_BYTES);
    } else {
      RequestRejected rejected = (RequestRejected) ((RecordOutcome.Rejected) outcome).rejection().payload();
      assertThat(rejected.rule()).isIn(KNOWN_RULES);
      assertThat(rejected.field()).isNotBlank();
    }
  }

  @Property
  void givenAnyBody_whenTheHttpDoorAnswers_thenA2xxOrA4xxNamingFieldAndRuleAndNothingCreatedOnA4xx(
      @ForAll("recordValues") byte[] body) {
    InMemorySubmitter cluster = new InMemorySubmitter();

    IngestHttpServer.SubmitAnswer answer = IngestHttpServer.answer(body, HostileRequests.NS, cluster, NOW);

    assertThat(answer.status()).isIn(200, 202, 400, 404, 409, 413, 422);
    if (answer.status() >= 400) {
      assertThat(answer.rule()).as(answer.message()).isIn(KNOWN_RULES);
      assertThat(answer.field()).isNotBlank();
      assertThat(answer.message()).isNotBlank().hasSizeLessThan(2000);
      assertThat(cluster.created).as("a refusal creates nothing").isEmpty();
    } else {
      assertThat(cluster.created).hasSize(1);
    }
  }

  @Property
  void givenTheSameBody_whenSubmittedThroughHttpAndThroughKafka_thenBothDoorsGiveTheSameVerdict(
      @ForAll("bodies") Body body) {
    InMemorySubmitter httpCluster = new InMemorySubmitter();
    InMemorySubmitter kafkaCluster = new InMemorySubmitter();

    IngestHttpServer.SubmitAnswer http = IngestHttpServer.answer(body.render(null), HostileRequests.NS, httpCluster,
        NOW);
    RecordOutcome kafka = new KafkaRequestRecords(kafkaCluster, CLOCK).handle("pxops.requests", 0, 1L, null,
        body.render(HostileRequests.NS));

    if (http.status() < 300) {
      assertThat(kafka).isInstanceOf(RecordOutcome.Submitted.class);
      assertThat(kafkaCluster.created).hasSameSizeAs(httpCluster.created);
      return;
    }
    String kafkaField;
    String kafkaRule;
    if (kafka instanceof RecordOutcome.DeadLettered dead) {
      kafkaField = dead.field();
      kafkaRule = dead.rule();
    } else {
      assertThat(kafka).as("HTTP refused with %s", http).isInstanceOf(RecordOutcome.Rejected.class);
      RequestRejected rejected = (RequestRejected) ((RecordOutcome.Rejected) kafka).rejection().payload();
      kafkaField = rejected.field();
      kafkaRule = rejected.rule();
    }
    assertThat(kafkaRule).as("rule; HTTP said %s", http).isEqualTo(http.rule());
    assertThat(kafkaField).as("field; HTTP said %s", http).isEqualTo(http.field());
  }

  @Provide
  Arbitrary<byte[]> recordValues() {
    return HostileRequests.recordValues();
  }

  @Provide
  Arbitrary<Body> bodies() {
    // the body never names a namespace itself: the HTTP door takes it from the URL, the Kafka record carries it
    return HostileRequests.bodies().filter(b -> !b.mentions("namespace"));
  }
}
