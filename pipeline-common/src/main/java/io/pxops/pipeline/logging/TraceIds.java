package io.pxops.pipeline.logging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The trace id that lets one request be followed across the five services: created by the door that first accepts
 * the request (or taken from the caller's {@code pxops-trace-id} or W3C {@code traceparent}), carried in the Kafka
 * header {@value #HEADER} of every record produced while handling that request, and put in the MDC
 * ({@link LogContext#TRACE_ID}) of every log line written meanwhile.
 *
 * <p>It has the shape of a W3C trace id (32 lower-case hex digits, not all zero), so a caller's tracing system and
 * ours can share it. A value from outside of any other shape is ignored (and a new id made), never trusted into a
 * log line or a header as is.
 */
public final class TraceIds {

  /** The Kafka header (and the HTTP header the doors answer with) carrying the trace id, as UTF-8 text. */
  public static final String HEADER = "pxops-trace-id";
  /**
   * The annotation of a {@code PerconaXtraDBOpsRequest} that the HTTP and Kafka doors create: the trace id they
   * accepted the request under, so the watcher that admits the object continues that trace.
   */
  public static final String ANNOTATION = "pxops.io/trace-id";
  /** The W3C Trace Context header: {@code 00-<trace id>-<parent id>-<flags>}. */
  public static final String TRACEPARENT = "traceparent";

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern TRACEPARENT_VALUE = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO = "0".repeat(32);

  private TraceIds() {}

  /** A new random trace id. */
  public static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * {@code candidate} as a trace id, or null when it is not one.
   *
   * @param candidate a value from outside, maybe null
   * @return the trace id in lower case, or null
   */
  public static String valid(String candidate) {
    if (candidate == null) {
      return null;
    }
    String id = candidate.trim().toLowerCase(Locale.ROOT);
    return TRACE_ID.matcher(id).matches() && !id.equals(ZERO) ? id : null;
  }

  /**
   * The trace id of an object that came without one ({@code kubectl apply}): its uid, a UUID, without the dashes.
   * The same object gives the same trace id after a restart of the ingest; null when the uid is not a UUID.
   *
   * @param uid the object's {@code metadata.uid}, maybe null
   * @return the trace id, or null
   */
  public static String fromUid(String uid) {
    return uid == null ? null : valid(uid.replace("-", ""));
  }

  /**
   * The trace id of a W3C {@code traceparent} value, or null when it is not one.
   *
   * @param traceparent the header's value, maybe null
   * @return the trace id, or null
   */
  public static String fromTraceparent(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var m = TRACEPARENT_VALUE.matcher(traceparent.trim().toLowerCase(Locale.ROOT));
    return m.matches() ? valid(m.group(1)) : null;
  }

  /**
   * A {@code traceparent} value for {@code traceId}, with a new parent id (this hop), sampled.
   *
   * @param traceId a trace id
   * @return the header value
   */
  public static String traceparent(String traceId) {
    return "00-" + traceId + "-" + String.format("%016x", ThreadLocalRandom.current().nextLong() | 1L) + "-01";
  }

  /**
   * The trace id of a caller: its {@code pxops-trace-id}, else its {@code traceparent}'s; null when neither is a
   * trace id.
   *
   * @param pxopsTraceId the {@value #HEADER} value, maybe null
   * @param traceparent the {@value #TRACEPARENT} value, maybe null
   * @return the trace id, or null
   */
  public static String fromCaller(String pxopsTraceId, String traceparent) {
    String id = valid(pxopsTraceId);
    return id != null ? id : fromTraceparent(traceparent);
  }

  /**
   * The trace id of a Kafka record, from its headers ({@value #HEADER}, else {@value #TRACEPARENT}).
   *
   * @param headers the record's headers, maybe null
   * @return the trace id, or null when the record carries none
   */
  public static String of(Headers headers) {
    if (headers == null) {
      return null;
    }
    return fromCaller(text(headers.lastHeader(HEADER)), text(headers.lastHeader(TRACEPARENT)));
  }

  /**
   * Sets the {@value #HEADER} header to {@code traceId} (replacing any); does nothing when it is null.
   *
   * @param headers a record's headers
   * @param traceId the trace id, maybe null
   * @return the headers
   */
  public static Headers put(Headers headers, String traceId) {
    if (traceId != null) {
      headers.remove(HEADER);
      headers.add(HEADER, traceId.getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static String text(Header h) {
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
