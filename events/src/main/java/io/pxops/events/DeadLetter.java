package io.pxops.events;

import java.time.Instant;

/**
 * A record on {@link Topics#DLQ}: something a service could not process, with the reason, so that nothing stalls
 * behind it and nothing is silently dropped. Written as JSON with {@link JsonCodec#mapper()}; the original value is
 * kept as text when it is valid UTF-8, else in base64.
 *
 * <p>A dead letter must fit on the DLQ topic whatever it carries, or writing it fails and the record it stands
 * for can be neither processed nor set aside (a 1 MB request once did exactly that). So a value too large to keep
 * whole is kept as a prefix, with its original size and SHA-256 digest to identify it; the fields saying so were
 * added in schema version 2 and are absent (null) on a letter that kept everything, so older readers are unaffected.
 *
 * @param service the group or application id of the service that gave up (a {@link GroupIds} constant)
 * @param topic the topic the record came from
 * @param partition its partition
 * @param offset its offset
 * @param key its key as text, or null (when absent, or not valid UTF-8: then see {@code keyBase64})
 * @param value its value as text, or null when it was not valid UTF-8
 * @param valueBase64 its value in base64 when it was not valid UTF-8, else null
 * @param problem a short CamelCase class of problem, e.g. {@code NotJson}, {@code UnknownType}, {@code WrongShape}
 * @param reason a human-readable explanation naming the field and the rule where there is one
 * @param at when the service gave up
 * @param keyBase64 its key in base64 when it was not valid UTF-8, else null (added later)
 * @param valueSize the original value's size in bytes when {@code value} / {@code valueBase64} hold only a prefix
 *     of it, else null (added later)
 * @param valueSha256 the SHA-256 of the whole original value, lower-case hex, when only a prefix is kept, else null
 *     (added later)
 */
public record DeadLetter(String service, String topic, int partition, long offset, String key, String value,
    String valueBase64, String problem, String reason, Instant at, String keyBase64, Long valueSize,
    String valueSha256) {

  /** A dead letter that kept its key and value whole: the shape of the first version. */
  public DeadLetter(String service, String topic, int partition, long offset, String key, String value,
      String valueBase64, String problem, String reason, Instant at) {
    this(service, topic, partition, offset, key, value, valueBase64, problem, reason, at, null, null, null);
  }

}
