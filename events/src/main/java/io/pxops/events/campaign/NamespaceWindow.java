package io.pxops.events.campaign;

import java.util.Map;

/**
 * A maintenance window for every database in the namespaces whose labels match.
 *
 * @param namespaceSelector labels a namespace must carry ({@code matchLabels}; empty matches all)
 * @param window the window
 */
public record NamespaceWindow(Map<String, String> namespaceSelector, MaintenanceWindow window) {

  /** Copies the selector. */
  public NamespaceWindow {
    namespaceSelector = namespaceSelector == null ? Map.of() : Map.copyOf(namespaceSelector);
  }
}
