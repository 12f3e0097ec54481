package io.pxops.pipeline;

import io.pxops.events.DeadLetter;
import io.pxops.events.InvalidMessageException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@link DeadLetter}s the projector writes to {@code pxops.dlq}. */
public final class DeadLetters {

  /** The problem of an envelope the fold could not apply (a bug; the log itself was valid). */
  public static final String FOLD_FAILED = "FoldFailed";

  private DeadLetters() {}

  /**
   * A dead letter for a record that is not a valid envelope.
   *
   * @param service the group or application id of the service that gives up
   * @param metadata where the record came from, if known
   * @param key its key
   * @param value its raw value
   * @param error why it cannot be read
   * @param at now
   * @return the dead letter
   */
  public static DeadLetter invalid(
      String service, RecordMetadata metadata, String key, byte[] value, InvalidMessageException error,
      Instant at) {
    return of(service, metadata, key, value, problem(error.problem()), error.getMessage(), at);
  }

  /**
   * A dead letter.
   *
   * @param service the group or application id of the service that gives up
   * @param metadata where the record came from, or {@code null}
   * @param key its key
   * @param value its raw value
   * @param problem a short CamelCase class of problem
   * @param reason a sentence
   * @param at now
   * @return the dead letter
   */
  public static DeadLetter of(
      String service, RecordMetadata metadata, String key, byte[] value, String problem, String reason,
      Instant at) {
    return of(service, metadata == null ? null : metadata.topic(), metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1 : metadata.offset(), key, value, problem, reason, at);
  }

  /**
   * A dead letter for a record read by a plain consumer.
   *
   * @param service the group or application id of the service that gives up
   * @param topic the topic the record came from
   * @param partition its partition
   * @param offset its offset
   * @param key its key
   * @param value its raw value; kept as text when it is UTF-8, else in base64
   * @param problem a short CamelCase class of problem
   * @param reason a sentence
   * @param at now
   * @return the dead letter
   */
  public static DeadLetter of(String service, String topic, int partition, long offset, String key, byte[] value,
      String problem, String reason, Instant at) {
    String text = value == null ? null : utf8(value);
    String base64 = value != null && text == null ? Base64.getEncoder().encodeToString(value) : null;
    return new DeadLetter(service, topic, partition, offset, key, text, base64, problem, reason, at);
  }

  /** Header naming the problem of a dead letter, so a DLQ reader can filter without parsing. */
  public static final String PROBLEM_HEADER = "pxops-dlq-problem";

  /** Header naming the service that gave up. */
  public static final String SERVICE_HEADER = "pxops-dlq-service";

  /**
   * The record with its own headers (event id and type, where it had them) plus the dead letter's
   * problem and service.
   *
   * @param record the record that could not be processed
   * @param letter its dead letter
   * @param <K> key type
   * @param <V> value type
   * @return the record with the extra headers
   */
  public static <K, V> FixedKeyRecord<K, V> withHeaders(FixedKeyRecord<K, V> record, DeadLetter letter) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(PROBLEM_HEADER, letter.problem().getBytes(StandardCharsets.UTF_8));
    headers.add(SERVICE_HEADER, letter.service().getBytes(StandardCharsets.UTF_8));
    return record.withHeaders(headers);
  }

  /** The DLQ spelling of a decoding problem: {@code NOT_JSON} becomes {@code NotJson}. */
  public static String problem(InvalidMessageException.Problem problem) {
    return switch (problem) {
      case NOT_JSON -> "NotJson";
      case MISSING_FIELD -> "MissingField";
      case INVALID_FIELD -> "InvalidField";
      case UNKNOWN_TYPE -> "UnknownType";
      case WRONG_PAYLOAD -> "WrongShape";
    };
  }

  private static String utf8(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
