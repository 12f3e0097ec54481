package io.pxops.requestingest;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSpec;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.steps.ErrorClassifier;
import io.pxops.requestingest.admission.UpdateRequest;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the Kafka door does with one record of {@code pxops.requests}, as a function from its bytes to an outcome,
 * without Kafka: read it against the published schema ({@link UpdateRequestReader}, as the HTTP door does), submit
 * it, and say what must be written for it. Total: any bytes give an outcome, never an exception, because an
 * exception here once ended the door's only thread while the process stayed up and every later request was
 * silently never admitted.
 */
public final class KafkaRequestRecords {

  /** The problem of a dead letter for a record that is not a JSON object. */
  public static final String NOT_JSON = "NotJson";
  /** The problem of a dead letter for a record that is JSON but not of the schema's shape. */
  public static final String WRONG_SHAPE = "WrongShape";
  /** The problem of a dead letter for a record whose handling failed in a way nobody foresaw (a bug). */
  public static final String UNEXPECTED = "Unexpected";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** What is to be done for one record; only then is the record committed past. */
  public sealed interface RecordOutcome {
    /** Submitted (created, or found submitted before): nothing more to write. */
    record Submitted(OpsRequestSubmitter.Outcome outcome) implements RecordOutcome {
    }

    /** A rule refused it: this {@code RequestRejected} goes on the lifecycle log, so the status says why. */
    record Rejected(Envelope rejection) implements RecordOutcome {
    }

    /**
     * It cannot be a request (or cannot be reported under one): this letter goes to {@code pxops.dlq}.
     *
     * @param field the field at fault, or null when nothing in the record is (problem {@code Unexpected})
     * @param rule the rule it breaks, or null for {@code Unexpected}
     */
    record DeadLettered(DeadLetter letter, String field, String rule) implements RecordOutcome {
    }

    /**
     * Not the record's fault (the Kubernetes API did not answer): handle it again later, and commit nothing past it
     * meanwhile, so a valid request is never dead-lettered for an outage.
     */
    record NotNow(String reason) implements RecordOutcome {
    }
  }

  private final Function<UpdateRequest, OpsRequestSubmitter.Outcome> submit;
  private final Clock clock;

  /**
   * @param submit checks and creates a request (the submitter's {@link OpsRequestSubmitter#submit})
   */
  public KafkaRequestRecords(Function<UpdateRequest, OpsRequestSubmitter.Outcome> submit, Clock clock) {
    this.submit = submit;
    this.clock = clock;
  }

  /** The outcome for one record; never throws. */
  public RecordOutcome handle(String topic, int partition, long offset, byte[] key, byte[] value) {
    try {
      return decide(topic, partition, offset, key, value);
    } catch (RuntimeException | StackOverflowError e) {
      if (e instanceof RuntimeException r && ErrorClassifier.classify(r) == ErrorClassifier.ErrorClass.RETRIABLE) {
        return new RecordOutcome.NotNow(describe(e));
      }
      return new RecordOutcome.DeadLettered(letter(topic, partition, offset, key, value, UNEXPECTED,
          "handling the record failed unexpectedly: " + describe(e)), null, null);
    }
  }

  private RecordOutcome decide(String topic, int partition, long offset, byte[] key, byte[] value) {
    UpdateRequestReader.Reading reading = UpdateRequestReader.read(value, null, RequestSpec.DOOR_KAFKA,
        clock.instant());
    if (reading instanceof UpdateRequestReader.Reading.Refused refused) {
      String problem = UpdateRequestReader.MALFORMED_BODY.equals(refused.rule()) ? NOT_JSON : WRONG_SHAPE;
      return new RecordOutcome.DeadLettered(letter(topic, partition, offset, key, value, problem,
          refused.field() + ": " + refused.rule() + ": " + refused.message()), refused.field(), refused.rule());
    }
    UpdateRequest request = ((UpdateRequestReader.Reading.Read) reading).request();
    OpsRequestSubmitter.Outcome outcome = submit.apply(request);
    String field;
    String rule;
    String message;
    if (outcome instanceof OpsRequestSubmitter.Outcome.Refused refused) {
      field = refused.rejection().field();
      rule = refused.rejection().rule();
      message = refused.rejection().message();
    } else if (outcome instanceof OpsRequestSubmitter.Outcome.NameTaken taken) {
      field = "name";
      rule = "NameTaken";
      message = "an ops request named " + taken.namespace() + "/" + taken.name() + " already exists";
    } else {
      return new RecordOutcome.Submitted(outcome);
    }
    String name = request.name() != null ? request.name() : OpsRequestSubmitter.nameFor(request);
    String ns = request.namespace();
    if (ns == null || !LABEL.matcher(ns).matches() || name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      // no valid reference to report the rejection under: the record itself goes to the DLQ with the reason
      return new RecordOutcome.DeadLettered(letter(topic, partition, offset, key, value, rule,
          field + ": " + rule + ": " + message), field, rule);
    }
    String database = request.database() != null && LABEL.matcher(request.database()).matches()
        ? request.database() : "unknown";
    return new RecordOutcome.Rejected(Envelope.of(UUID.randomUUID().toString(), ns + "/" + name,
        ns + "/" + database, clock.instant(), null, new RequestRejected(name, ns, request.database(),
            request.targetVersion(), RequestSpec.DOOR_KAFKA, request.clientRequestId(), field, rule, message)));
  }

  private DeadLetter letter(String topic, int partition, long offset, byte[] key, byte[] value, String problem,
      String reason) {
    return DeadLetters.of(GroupIds.REQUEST_INGEST, topic, partition, offset, key, value, problem, reason,
        clock.instant());
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
