package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A condition in the shape of kmodules' {@code kmapi.Condition}, used by KubeDB on databases and ops requests.
 * Immutable; {@code lastTransitionTime} is kept as the RFC 3339 string the server returned.
 *
 * <p>Unknown fields are preserved through {@link ExtensibleObject}, so the class is not a record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "status", "observedGeneration", "severity", "lastTransitionTime", "reason", "message"})
public final class Condition extends ExtensibleObject {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** kmapi severities; set only when the status is False. */
  public static final String SEVERITY_ERROR = "Error";
  public static final String SEVERITY_WARNING = "Warning";
  public static final String SEVERITY_INFO = "Info";

  private final String type;
  private final String status;
  private final String reason;
  private final String message;
  private final Long observedGeneration;
  private final String lastTransitionTime;
  private final String severity;

  @JsonCreator
  public Condition(@JsonProperty("type") String type, @JsonProperty("status") String status,
      @JsonProperty("reason") String reason, @JsonProperty("message") String message,
      @JsonProperty("observedGeneration") Long observedGeneration,
      @JsonProperty("lastTransitionTime") String lastTransitionTime, @JsonProperty("severity") String severity) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.observedGeneration = observedGeneration;
    this.lastTransitionTime = lastTransitionTime;
    this.severity = severity;
  }

  /** A condition of {@code type} with status True, stamped now. */
  public static Condition isTrue(String type, String reason, String message, Long observedGeneration) {
    return new Condition(type, TRUE, reason, message, observedGeneration, now(), null);
  }

  /** A condition of {@code type} with status False, stamped now. */
  public static Condition isFalse(String type, String reason, String message, Long observedGeneration) {
    return new Condition(type, FALSE, reason, message, observedGeneration, now(), null);
  }

  /** The current time as Kubernetes writes it (RFC 3339, whole seconds, UTC). */
  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public String getType() {
    return type;
  }

  public String getStatus() {
    return status;
  }

  public String getReason() {
    return reason;
  }

  public String getMessage() {
    return message;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public String getSeverity() {
    return severity;
  }

  public boolean statusIsTrue() {
    return TRUE.equals(status);
  }

  public boolean statusIsFalse() {
    return FALSE.equals(status);
  }

  public Condition withLastTransitionTime(String time) {
    return copy(time, severity);
  }

  public Condition withSeverity(String newSeverity) {
    return copy(lastTransitionTime, newSeverity);
  }

  private Condition copy(String time, String newSeverity) {
    Condition c = new Condition(type, status, reason, message, observedGeneration, time, newSeverity);
    c.getAdditionalProperties().putAll(getAdditionalProperties());
    return c;
  }

  /** Same type, status, reason, message and observed generation: what kmapi compares before it rewrites. */
  public boolean sameStateAs(Condition other) {
    return other != null && Objects.equals(type, other.type) && Objects.equals(status, other.status)
        && Objects.equals(reason, other.reason) && Objects.equals(message, other.message)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Condition)) {
      return false;
    }
    Condition c = (Condition) o;
    return sameStateAs(c) && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(severity, c.severity) && getAdditionalProperties().equals(c.getAdditionalProperties());
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, observedGeneration, lastTransitionTime, severity);
  }

  @Override
  public String toString() {
    return type + "=" + status + (reason == null ? "" : " (" + reason + ")") + (message == null ? "" : ": " + message);
  }
}
