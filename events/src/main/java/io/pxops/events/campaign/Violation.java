package io.pxops.events.campaign;

/**
 * One thing wrong with a campaign spec.
 *
 * @param field the field, as a path ({@code stages[1].maxConcurrent})
 * @param rule the rule it breaks, one word ({@code Between}, {@code DnsLabel}, ...)
 * @param message the rule in words, with the value
 */
public record Violation(String field, String rule, String message) {

  @Override
  public String toString() {
    return field + ": " + message + " (" + rule + ")";
  }
}
