package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field selector on a list of Events, as the API server applies it: {@code kubectl describe} finds an object's
 * Events with {@code involvedObject.kind=…,involvedObject.name=…,involvedObject.namespace=…,involvedObject.uid=…},
 * which fabric8's mock server does not understand (it answers no Event at all), so {@code Events:} stayed
 * {@code <none>}. Terms {@code path=value}, {@code path==value} and {@code path!=value} over the Event's dotted
 * fields; a field an Event lacks is the empty string, as the API server's field sets have it.
 */
record EventFieldSelector(List<Term> terms) {

  private static final Pattern EVENTS = Pattern.compile("^/api/v1(/namespaces/[^/]+)?/events$");

  record Term(String path, String value, boolean equal) {
  }

  /** The selector of a list of Events without a watch, or empty for any other request. */
  static Optional<EventFieldSelector> of(String method, String path) {
    int query = path.indexOf('?');
    if (!"GET".equals(method) || query < 0 || !EVENTS.matcher(path.substring(0, query)).matches()
        || "true".equals(LocalApiDispatcher.queryParameter(path, "watch"))) {
      return Optional.empty();
    }
    String selector = LocalApiDispatcher.queryParameter(path, "fieldSelector");
    if (selector == null || selector.isBlank()) {
      return Optional.empty();
    }
    List<Term> terms = new ArrayList<>();
    for (String t : URLDecoder.decode(selector, StandardCharsets.UTF_8).split(",")) {
      Matcher m = Pattern.compile("^([^!=]+)(!=|==|=)(.*)$").matcher(t.trim());
      if (m.matches()) {
        terms.add(new Term(m.group(1).trim(), m.group(3).trim(), !"!=".equals(m.group(2))));
      }
    }
    return terms.isEmpty() ? Optional.empty() : Optional.of(new EventFieldSelector(terms));
  }

  /** The path without its field selector, for the store to answer every Event of the namespace. */
  static String withoutSelector(String path) {
    int query = path.indexOf('?');
    StringBuilder rest = new StringBuilder();
    for (String p : path.substring(query + 1).split("&")) {
      if (!p.startsWith("fieldSelector=") && !p.isEmpty()) {
        rest.append(rest.length() == 0 ? "?" : "&").append(p);
      }
    }
    return path.substring(0, query) + rest;
  }

  /** The list with only the Events that match, in place. */
  JsonNode filter(JsonNode list) {
    if (list instanceof ObjectNode o && o.path("items") instanceof ArrayNode items) {
      ArrayNode kept = o.arrayNode();
      items.forEach(e -> {
        if (matches(e)) {
          kept.add(e);
        }
      });
      o.set("items", kept);
      // a typed client (kubectl describe's) decodes an EventList, never the mock's generic "List"
      o.put("kind", "EventList");
    }
    return list;
  }

  boolean matches(JsonNode event) {
    for (Term t : terms) {
      JsonNode n = event;
      for (String part : t.path().split("\\.")) {
        n = n.path(part);
      }
      String actual = n.isValueNode() ? n.asText() : "";
      if (actual.equals(t.value()) != t.equal()) {
        return false;
      }
    }
    return true;
  }
}
