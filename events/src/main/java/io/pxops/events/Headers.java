package io.pxops.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names of the Kafka record headers every producer sets (UTF-8 string values), so that consumers can
 * filter by type and de-duplicate by id without parsing the value.
 */
public final class Headers {

  /** Header carrying {@link Envelope#eventId()}. */
  public static final String EVENT_ID = "pxops-event-id";

  /** Header carrying {@link Envelope#type()}. */
  public static final String TYPE = "pxops-type";

  private Headers() {}

  /**
   * The header values for one envelope.
   *
   * @param envelope the message
   * @return an ordered map from header name to value
   */
  public static Map<String, String> of(Envelope envelope) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EVENT_ID, envelope.eventId());
    headers.put(TYPE, envelope.type());
    return headers;
  }
}
