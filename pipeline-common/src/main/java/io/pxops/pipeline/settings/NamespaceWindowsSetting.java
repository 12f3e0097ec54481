package io.pxops.pipeline.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignSpecJson;
import io.pxops.events.campaign.CampaignSpecValidation;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.events.campaign.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reader of {@code PXOPS_NAMESPACE_WINDOWS}: maintenance windows the platform team sets once for every
 * namespace whose labels match, as a JSON list (in a ConfigMap, one key):
 *
 * <pre>
 * [{"namespaceSelector": {"matchLabels": {"team": "billing"}},
 *   "window": {"timeZone": "Europe/Berlin", "days": [{"day": "Saturday", "start": "22:00", "end": "06:00"}]}}]
 * </pre>
 *
 * <p>{@code namespaceSelector} is required and takes Kubernetes' {@code matchLabels} only; {@code {}} or an empty
 * {@code matchLabels} selects every namespace. It is required because a forgotten selector would silently bind every
 * database of the cluster. {@code matchExpressions} is refused rather than ignored: ignoring it would widen the
 * selector to namespaces the operator meant to leave out. {@code window} is a campaign window, read and checked by
 * the campaign's own reader ({@link CampaignSpecJson#readWindow}), so a window means the same in a campaign, an
 * annotation and this setting. Every broken rule is reported at once, each naming the setting, the index and the
 * field ({@code PXOPS_NAMESPACE_WINDOWS[0].window.days[0].day}), so that a bad value stops the start with one
 * message an operator fixes in one round.
 */
public final class NamespaceWindowsSetting {

  /** The setting's name. */
  public static final String NAME = "PXOPS_NAMESPACE_WINDOWS";

  /** Most windows the setting may list: each is matched against a namespace at every admission. */
  public static final int MAX_WINDOWS = 100;

  private NamespaceWindowsSetting() {
  }

  /**
   * A value that breaks the setting's rules: its message names each broken rule with its field, and
   * {@link Setting#read} puts the setting's name and rule in front (the rule alone would not say which window is
   * wrong).
   * The value itself is not quoted whole: it may be long, and each violation quotes its part.
   */
  public static final class Refusal extends Setting.Refusal {
    private static final long serialVersionUID = 1L;

    Refusal(List<Violation> violations) {
      super("breaks " + violations.size() + " rule(s): " + violations.stream().limit(10)
          .map(Violation::toString).collect(Collectors.joining("; ")) + (violations.size() > 10 ? "; ..." : ""));
    }
  }

  /**
   * Reads the setting's value.
   *
   * @param text the JSON text
   * @return the windows, in the order given
   * @throws Refusal naming every broken rule
   */
  public static List<NamespaceWindow> parse(String text) {
    List<Violation> violations = new ArrayList<>();
    JsonNode root;
    try {
      root = JsonCodec.shared().mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new Refusal(List.of(new Violation(NAME, "Json", "is not JSON: " + e.getOriginalMessage())));
    }
    if (root == null || !root.isArray()) {
      throw new Refusal(List.of(new Violation(NAME, "Type",
          "must be a JSON list of {\"namespaceSelector\": {\"matchLabels\": {...}}, \"window\": {...}}")));
    }
    if (root.size() > MAX_WINDOWS) {
      throw new Refusal(List.of(new Violation(NAME, "Between",
          "must list 0 to " + MAX_WINDOWS + " windows, lists " + root.size())));
    }
    List<NamespaceWindow> windows = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String at = NAME + "[" + i + "]";
      JsonNode entry = root.get(i);
      if (!entry.isObject()) {
        violations.add(new Violation(at, "Type", "must be an object with namespaceSelector and window"));
        continue;
      }
      unknown(entry, at, Set.of("namespaceSelector", "window"), violations);
      Map<String, String> selector = selector(entry.get("namespaceSelector"), at + ".namespaceSelector",
          violations);
      JsonNode windowNode = entry.get("window");
      if (windowNode == null || windowNode.isNull()) {
        violations.add(new Violation(at + ".window", "Required", "is required"));
        continue;
      }
      int before = violations.size();
      MaintenanceWindow window = CampaignSpecJson.readWindow(windowNode, at + ".window", violations);
      if (selector != null && violations.size() == before) {
        windows.add(new NamespaceWindow(selector, window));
      }
    }
    if (!violations.isEmpty()) {
      throw new Refusal(violations);
    }
    return List.copyOf(windows);
  }

  private static Map<String, String> selector(JsonNode node, String at, List<Violation> violations) {
    if (node == null || node.isNull()) {
      violations.add(new Violation(at, "Required",
          "is required ({} or {\"matchLabels\": {}} selects every namespace)"));
      return null;
    }
    if (!node.isObject()) {
      violations.add(new Violation(at, "Type", "must be an object with matchLabels"));
      return null;
    }
    if (node.has("matchExpressions")) {
      violations.add(new Violation(at + ".matchExpressions", "Unsupported",
          "is not supported: list one window per label set with matchLabels"));
    }
    unknown(node, at, Set.of("matchLabels", "matchExpressions"), violations);
    JsonNode labels = node.get("matchLabels");
    Map<String, String> selector = new LinkedHashMap<>();
    if (labels == null || labels.isNull()) {
      return selector;
    }
    if (!labels.isObject()) {
      violations.add(new Violation(at + ".matchLabels", "Type", "must be an object of label keys and values"));
      return null;
    }
    int before = violations.size();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (!label.getValue().isTextual()) {
        violations.add(new Violation(at + ".matchLabels[\"" + label.getKey() + "\"]", "LabelValue",
            "must be a string"));
        continue;
      }
      selector.put(label.getKey(), label.getValue().asText());
    }
    CampaignSpecValidation.matchLabels(at + ".matchLabels", selector, violations);
    return violations.size() > before ? null : selector;
  }

  private static void unknown(JsonNode node, String at, Set<String> known, List<Violation> violations) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        violations.add(new Violation(at + "." + field, "Unknown", "is not a field (known: "
            + known.stream().sorted().collect(Collectors.joining(", ")) + ")"));
      }
    }
  }
}
