package io.pxops.events.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where one pod stands in the rolling restart. Spelled in CamelCase on the wire. */
public enum PodPhase {
  /** Still to be restarted. */
  WAITING("Waiting"),
  /** Evicted; its replacement is not running yet. */
  EVICTED("Evicted"),
  /** Runs the target image and is Ready (restarted now, or found already updated). */
  RUNNING("Running"),
  /** Restarted and verified: every Galera node is healthy and agrees on the data. */
  VERIFIED("Verified"),
  /** Needed no restart: it already ran the target image and was Ready when the PetSet changed. */
  UP_TO_DATE("UpToDate");

  private final String wireName;

  PodPhase(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name on the wire.
   *
   * @return e.g. {@code "Verified"}
   */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Parses the wire name.
   *
   * @param wireName e.g. {@code "Evicted"}
   * @return the phase
   * @throws IllegalArgumentException for any other string
   */
  @JsonCreator
  public static PodPhase fromWireName(String wireName) {
    for (PodPhase phase : values()) {
      if (phase.wireName.equals(wireName)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown pod phase \"" + wireName + "\"");
  }
}
