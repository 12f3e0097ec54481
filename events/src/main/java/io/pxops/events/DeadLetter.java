package io.pxops.events;

import java.time.Instant;

/**
 * A record on {@link Topics#DLQ}: something a service could not process, with the reason, so that nothing stalls
 * behind it and nothing is silently dropped. Written as JSON with {@link JsonCodec#mapper()}; the original value is
 * kept as text when it is valid UTF-8, else in base64.
 *
 * @param service the group or application id of the service that gave up (a {@link GroupIds} constant)
 * @param topic the topic the record came from
 * @param partition its partition
 * @param offset its offset
 * @param key its key as text, or null
 * @param value its value as text, or null when it was not valid UTF-8
 * @param valueBase64 its value in base64 when it was not valid UTF-8, else null
 * @param problem a short CamelCase class of problem, e.g. {@code NotJson}, {@code UnknownType}, {@code WrongShape}
 * @param reason a human-readable explanation naming the field and the rule where there is one
 * @param at when the service gave up
 */
public record DeadLetter(String service, String topic, int partition, long offset, String key, String value,
    String valueBase64, String problem, String reason, Instant at) {
}
