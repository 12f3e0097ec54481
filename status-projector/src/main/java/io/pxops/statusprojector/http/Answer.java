package io.pxops.statusprojector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.JsonCodec;

/**
 * An HTTP answer: status code, JSON body and, for 503, the seconds after which to retry.
 *
 * @param status the HTTP status code
 * @param body the JSON body
 * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
 */
public record Answer(int status, byte[] body, int retryAfterSeconds) {

  /** How long a client should wait before asking again while the instances rebalance. */
  static final int RETRY_AFTER_SECONDS = 1;

  /**
   * 200 with a value written by the shared mapper.
   *
   * @param value a JSON-serializable value
   * @return the answer
   */
  static Answer ok(Object value) {
    return new Answer(200, json(value), 0);
  }

  /**
   * 404 naming what is unknown.
   *
   * @param message e.g. "no update request shop/upd-1"
   * @return the answer
   */
  static Answer notFound(String message) {
    return error(404, "NotFound", message);
  }

  /**
   * 400 naming the parameter and the rule.
   *
   * @param field the query or path parameter
   * @param rule the rule it breaks
   * @param value what was given
   * @return the answer
   */
  static Answer badRequest(String field, String rule, String value) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("error", "BadRequest");
    body.put("field", field);
    body.put("rule", rule);
    body.put("message", field + " " + rule + " but was \"" + value + "\"");
    return new Answer(400, json(body), 0);
  }

  /**
   * 503 with {@code Retry-After}: the stores are migrating between instances, or an owner is not
   * reachable right now.
   *
   * @param message why
   * @return the answer
   */
  static Answer unavailable(String message) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("error", "Unavailable");
    body.put("message", message);
    body.put("retryAfterSeconds", RETRY_AFTER_SECONDS);
    return new Answer(503, json(body), RETRY_AFTER_SECONDS);
  }

  /**
   * A door's refusal of the caller (401, 403 or 503), in the same shape as the other errors: {@code error} is the
   * rule; a 401 names the {@code Authorization} header as its {@code field}; a 403 adds {@code verbs},
   * {@code resource} and {@code namespace}; a 503 carries {@code Retry-After}.
   *
   * @param refusal the refusal
   * @return the answer
   */
  static Answer refused(io.pxops.pipeline.doorauth.DoorRefusal refusal) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("error", refusal.rule());
    if (refusal.status() == 401) {
      body.put("field", "Authorization");
    }
    body.put("message", refusal.message());
    if (refusal.status() == 403) {
      body.putPOJO("verbs", refusal.verbs());
      body.put("resource", refusal.resource());
      body.put("namespace", refusal.namespace());
    }
    int retryAfter = refusal.status() == 503 ? RETRY_AFTER_SECONDS : 0;
    if (retryAfter > 0) {
      body.put("retryAfterSeconds", retryAfter);
    }
    return new Answer(refusal.status(), json(body), retryAfter);
  }

  private static Answer error(int status, String error, String message) {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("error", error);
    body.put("message", message);
    return new Answer(status, json(body), 0);
  }

  private static byte[] json(Object value) {
    try {
      return JsonCodec.shared().mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
