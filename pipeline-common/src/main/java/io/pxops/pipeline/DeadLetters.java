package io.pxops.pipeline;

import io.pxops.events.DeadLetter;
import io.pxops.events.InvalidMessageException;
import io.pxops.pipeline.metrics.PxopsMeters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@link DeadLetter}s the services write to {@code pxops.dlq}, each bounded to fit on the topic. */
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
    return of(service, topic, partition, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value,
        problem, reason, at);
  }

  /**
   * A dead letter for a record read as raw bytes, bounded so that it always fits on the DLQ topic: a value over
   * {@link #MAX_VALUE_BYTES} is kept as a prefix with its size and SHA-256, a key over {@link #MAX_KEY_BYTES} and a
   * reason over {@link #MAX_REASON_CHARS} are cut (saying so).
   *
   * @param service the group or application id of the service that gives up
   * @param topic the topic the record came from
   * @param partition its partition
   * @param offset its offset
   * @param key its raw key, or null; kept as text when it is UTF-8, else in base64
   * @param value its raw value, or null; kept as text when it is UTF-8, else in base64
   * @param problem a short CamelCase class of problem
   * @param reason a sentence
   * @param at now
   * @return the dead letter
   */
  public static DeadLetter of(String service, String topic, int partition, long offset, byte[] key, byte[] value,
      String problem, String reason, Instant at) {
    // counted where every dead letter of every service is made, so that none is missed
    PxopsMeters.deadLetter(service, problem);
    Kept keptKey = keep(key, MAX_KEY_BYTES);
    Kept keptValue = keep(value, MAX_VALUE_BYTES);
    boolean cut = value != null && value.length > MAX_VALUE_BYTES;
    return new DeadLetter(bounded(service, 200), bounded(topic, 300), partition, offset, keptKey.text(),
        keptValue.text(), keptValue.base64(), bounded(problem, 200), bounded(reason, MAX_REASON_CHARS), at,
        keptKey.base64(), cut ? Long.valueOf(value.length) : null, cut ? sha256(value) : null);
  }

  /**
   * The most value bytes a dead letter keeps. A letter must fit under the producer's {@code max.request.size} and
   * the topic's {@code max.message.bytes} (both about 1 MB by default) or it cannot be written, and the record it
   * stands for then blocks its partition. Kept as JSON text, a byte may take up to 6 bytes ({@code \u0001}), so
   * 128 KiB keeps the value part under 768 KiB, leaving room for the key, headers, reason and envelope.
   */
  public static final int MAX_VALUE_BYTES = 128 * 1024;

  /** The most key bytes a dead letter keeps (a key is a reference of a few dozen bytes). */
  public static final int MAX_KEY_BYTES = 1024;

  /** The longest reason kept, in characters (a reason that quotes the whole input must not grow the letter). */
  public static final int MAX_REASON_CHARS = 2000;

  /** The size a dead letter's JSON never exceeds, well under the 1,048,576-byte producer and topic defaults. */
  public static final int MAX_LETTER_BYTES = 900 * 1024;

  private record Kept(String text, String base64) {
  }

  private static Kept keep(byte[] raw, int maxBytes) {
    if (raw == null) {
      return new Kept(null, null);
    }
    String whole = utf8(raw);
    if (raw.length <= maxBytes) {
      return whole != null ? new Kept(whole, null) : new Kept(null, Base64.getEncoder().encodeToString(raw));
    }
    if (whole != null) {
      // cut on a character boundary: back off over UTF-8 continuation bytes (10xxxxxx)
      int end = maxBytes;
      while (end > 0 && (raw[end] & 0xC0) == 0x80) {
        end--;
      }
      return new Kept(new String(raw, 0, end, StandardCharsets.UTF_8), null);
    }
    return new Kept(null, Base64.getEncoder().encodeToString(Arrays.copyOf(raw, maxBytes)));
  }

  /** {@code text} cut to at most {@code max} characters, saying how long it was; never splits a surrogate pair. */
  static String bounded(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String marker = "… (cut from " + text.length() + " characters)";
    int end = max - marker.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + marker;
  }

  private static String sha256(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
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

  /**
   * Exports {@code service}'s dead-letter counters at 0 for the problems every reader of the contract can meet
   * (the decoding problems), plus {@code more} of its own; see {@link PxopsMeters#initializeDeadLetters}.
   */
  public static void initializeMeters(String service, String... more) {
    java.util.List<String> problems = new java.util.ArrayList<>(java.util.List.of(more));
    for (InvalidMessageException.Problem p : InvalidMessageException.Problem.values()) {
      problems.add(problem(p));
    }
    PxopsMeters.initializeDeadLetters(service, problems);
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
