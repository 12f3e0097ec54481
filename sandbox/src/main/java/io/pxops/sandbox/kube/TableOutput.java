package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} as the API server does, so that
 * {@code kubectl get} prints the columns a real cluster prints instead of NAME and AGE alone: for custom resources the
 * printer columns of their CRD (VERSION and STATUS for {@code px}, TYPE and STATUS for {@code pxcops}), for pods the
 * columns of the API server's pod printer (READY, STATUS, RESTARTS, AGE; IP, NODE, NOMINATED NODE and READINESS GATES
 * with {@code -o wide}), computed by the same rules (a waiting container's reason, {@code Terminating},
 * {@code Init:0/1}, restarts with the time of the last one), and for PodDisruptionBudgets the budget printer's
 * (MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS): a refused eviction is explained by the last one.
 */
final class TableOutput {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
      + "resources, although some resources may allow a client to request the generation of an appropriate name "
      + "automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot "
      + "be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

  private final Clock clock;

  TableOutput(Clock clock) {
    this.clock = clock;
  }

  /** Whether a request's {@code Accept} header asks for a table. */
  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  /**
   * The table of {@code body} (one object, or a list of them) with {@code columns} after NAME.
   *
   * @param includeObject the request's {@code includeObject} parameter: None, Object or (default) Metadata
   */
  String customResources(JsonNode body, List<CustomResourceDefinitions.PrinterColumn> columns, String includeObject) {
    ObjectNode table = newTable(body);
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.add(column("Name", "string", "name", NAME_DESCRIPTION, 0));
    for (CustomResourceDefinitions.PrinterColumn c : columns) {
      definitions.add(column(c.name(), c.type(), "", c.description(), c.priority()));
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items(body)) {
      ArrayNode cells = NODES.arrayNode();
      cells.add(item.path("metadata").path("name").asText());
      for (CustomResourceDefinitions.PrinterColumn c : columns) {
        cells.add(cell(item, c));
      }
      rows.add(row(cells, item, includeObject));
    }
    return table.toString();
  }

  /** The pod printer's table of {@code body}. */
  String pods(JsonNode body, String includeObject) {
    ObjectNode table = newTable(body);
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.add(column("Name", "string", "name", NAME_DESCRIPTION, 0));
    definitions.add(column("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0));
    definitions.add(column("Status", "string", "", "The aggregate status of the containers in this pod.", 0));
    definitions.add(column("Restarts", "string", "",
        "The number of times the containers in this pod have been restarted and when the last container in this "
            + "pod has restarted.", 0));
    definitions.add(column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time "
        + "when this object was created.", 0));
    definitions.add(column("IP", "string", "", "IP address allocated to the pod. Routable at least within the "
        + "cluster. Empty if not yet allocated.", 1));
    definitions.add(column("Node", "string", "", "NodeName is a request to schedule this pod onto a specific node.",
        1));
    definitions.add(column("Nominated Node", "string", "", "nominatedNodeName is set when this pod preempts other "
        + "pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful "
        + "termination periods.", 1));
    definitions.add(column("Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated "
        + "for pod readiness.", 1));
    ArrayNode rows = table.putArray("rows");
    for (JsonNode pod : items(body)) {
      rows.add(row(podCells(pod), pod, includeObject));
    }
    return table.toString();
  }

  /** The PodDisruptionBudget printer's table: MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS, AGE. */
  String podDisruptionBudgets(JsonNode body, String includeObject) {
    ObjectNode table = newTable(body);
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.add(column("Name", "string", "name", NAME_DESCRIPTION, 0));
    definitions.add(column("Min Available", "string", "", "The minimum number of pods that must be available.", 0));
    definitions.add(column("Max Unavailable", "string", "", "The maximum number of pods that may be unavailable.",
        0));
    definitions.add(column("Allowed Disruptions", "integer", "", "Calculated number of pods that may be disrupted at "
        + "this time.", 0));
    definitions.add(column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time "
        + "when this object was created.", 0));
    ArrayNode rows = table.putArray("rows");
    for (JsonNode budget : items(body)) {
      ArrayNode cells = NODES.arrayNode();
      JsonNode spec = budget.path("spec");
      cells.add(budget.path("metadata").path("name").asText());
      cells.add(spec.hasNonNull("minAvailable") ? spec.get("minAvailable").asText() : "N/A");
      cells.add(spec.hasNonNull("maxUnavailable") ? spec.get("maxUnavailable").asText() : "N/A");
      cells.add(budget.path("status").path("disruptionsAllowed").asLong(0));
      cells.add(age(budget.path("metadata").path("creationTimestamp").asText(null)));
      rows.add(row(cells, budget, includeObject));
    }
    return table.toString();
  }

  private ArrayNode podCells(JsonNode pod) {
    JsonNode status = pod.path("status");
    JsonNode spec = pod.path("spec");
    int totalContainers = spec.path("containers").size();
    int readyContainers = 0;
    int restarts = 0;
    Instant lastRestart = null;
    String reason = status.path("phase").asText("");
    if (!status.path("reason").asText("").isEmpty()) {
      reason = status.path("reason").asText();
    }
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode c = initStatuses.get(i);
      restarts += c.path("restartCount").asInt(0);
      lastRestart = later(lastRestart, c.path("lastState").path("terminated").path("finishedAt").asText(null));
      JsonNode terminated = c.path("state").path("terminated");
      JsonNode waiting = c.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asInt(0) == 0) {
        continue;
      }
      if (terminated.isObject()) {
        reason = terminated.path("reason").asText("").isEmpty()
            ? (terminated.path("signal").asInt(0) != 0 ? "Init:Signal:" + terminated.path("signal").asInt()
                : "Init:ExitCode:" + terminated.path("exitCode").asInt())
            : "Init:" + terminated.path("reason").asText();
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing) {
      restarts = 0;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode c = statuses.get(i);
        restarts += c.path("restartCount").asInt(0);
        lastRestart = later(lastRestart, c.path("lastState").path("terminated").path("finishedAt").asText(null));
        JsonNode waiting = c.path("state").path("waiting");
        JsonNode terminated = c.path("state").path("terminated");
        if (!waiting.path("reason").asText("").isEmpty()) {
          reason = waiting.path("reason").asText();
        } else if (terminated.isObject() && !terminated.path("reason").asText("").isEmpty()) {
          reason = terminated.path("reason").asText();
        } else if (terminated.isObject()) {
          reason = terminated.path("signal").asInt(0) != 0 ? "Signal:" + terminated.path("signal").asInt()
              : "ExitCode:" + terminated.path("exitCode").asInt();
        } else if (c.path("ready").asBoolean(false) && c.path("state").path("running").isObject()) {
          hasRunning = true;
          readyContainers++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }
    JsonNode metadata = pod.path("metadata");
    if (metadata.hasNonNull("deletionTimestamp")) {
      reason = "NodeLost".equals(status.path("reason").asText()) ? "Unknown" : "Terminating";
    }
    String restartsCell = Integer.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartsCell = restarts + " (" + humanDuration(Duration.between(lastRestart, clock.instant())) + " ago)";
    }
    ArrayNode cells = NODES.arrayNode();
    cells.add(metadata.path("name").asText());
    cells.add(readyContainers + "/" + totalContainers);
    cells.add(reason);
    cells.add(restartsCell);
    cells.add(age(metadata.path("creationTimestamp").asText(null)));
    cells.add(orNone(status.path("podIP").asText("")));
    cells.add(orNone(spec.path("nodeName").asText("")));
    cells.add(orNone(status.path("nominatedNodeName").asText("")));
    JsonNode gates = spec.path("readinessGates");
    if (gates.isEmpty()) {
      cells.add("<none>");
    } else {
      int trueGates = 0;
      for (JsonNode g : gates) {
        if (conditionTrue(status, g.path("conditionType").asText())) {
          trueGates++;
        }
      }
      cells.add(trueGates + "/" + gates.size());
    }
    return cells;
  }

  private JsonNode cell(JsonNode item, CustomResourceDefinitions.PrinterColumn column) {
    JsonNode value = item;
    for (String part : column.jsonPath().replaceFirst("^\\.", "").split("\\.")) {
      value = value.path(part);
    }
    if (value.isMissingNode() || value.isNull()) {
      return NODES.nullNode();
    }
    switch (column.type()) {
      case "date":
        return NODES.textNode(value.isTextual() ? age(value.asText()) : "<invalid>");
      case "integer":
        return value.isIntegralNumber() ? value : NODES.nullNode();
      case "number":
        return value.isNumber() ? value : NODES.nullNode();
      case "boolean":
        return value.isBoolean() ? value : NODES.nullNode();
      default:
        return value.isValueNode() ? NODES.textNode(value.asText()) : NODES.textNode(value.toString());
    }
  }

  private String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** apimachinery's {@code duration.HumanDuration}: {@code 45s}, {@code 5m30s}, {@code 3h}, {@code 2d4h}, ... */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
    }
    return (hours / 24 / 365) + "y";
  }

  private static Instant later(Instant current, String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return current;
    }
    try {
      Instant t = Instant.parse(timestamp);
      return current == null || t.isAfter(current) ? t : current;
    } catch (DateTimeParseException e) {
      return current;
    }
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }

  private static ObjectNode newTable(JsonNode body) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    String resourceVersion = body.path("metadata").path("resourceVersion").asText("");
    if (!resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    return table;
  }

  private static List<JsonNode> items(JsonNode body) {
    List<JsonNode> out = new ArrayList<>();
    if (body.has("items")) {
      body.path("items").forEach(out::add);
    } else {
      out.add(body);
    }
    return out;
  }

  private static ObjectNode column(String name, String type, String format, String description, int priority) {
    ObjectNode c = JSON.createObjectNode();
    c.put("name", name).put("type", type).put("format", format).put("description", description)
        .put("priority", priority);
    return c;
  }

  /** A row, with the object's metadata as a real server includes it by default (kubectl reads namespaces there). */
  private static ObjectNode row(ArrayNode cells, JsonNode item, String includeObject) {
    ObjectNode row = JSON.createObjectNode();
    row.set("cells", cells);
    if ("Object".equals(includeObject)) {
      row.set("object", item);
    } else if (!"None".equals(includeObject)) {
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata"));
    }
    return row;
  }
}
