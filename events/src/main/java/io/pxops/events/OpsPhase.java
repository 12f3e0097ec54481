package io.pxops.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The phase of an ops request, spelled as KubeDB spells {@code status.phase} (also on the wire).
 * {@link #SUCCESSFUL}, {@link #FAILED} and {@link #SKIPPED} are terminal.
 */
public enum OpsPhase {
  /** Admitted and waiting in the database's queue. */
  PENDING("Pending"),
  /** Holding the database: its steps are running. */
  PROGRESSING("Progressing"),
  /**
   * Waiting for its maintenance window: to start, or, between two pods, to evict the next one. Only
   * the status shows it (with the opening time); the update plan keeps such a request Pending or
   * Progressing.
   */
  WAITING_FOR_WINDOW("WaitingForWindow"),
  /** Every step succeeded and the database was resumed. */
  SUCCESSFUL("Successful"),
  /** A step failed or timed out; the database was resumed if it had been paused. */
  FAILED("Failed"),
  /** Never started: superseded by a newer request or cancelled. */
  SKIPPED("Skipped");

  private final String kubeName;

  OpsPhase(String kubeName) {
    this.kubeName = kubeName;
  }

  /**
   * KubeDB's spelling, e.g. {@code "Progressing"}.
   *
   * @return the phase as it appears in {@code status.phase} and in JSON
   */
  @JsonValue
  public String kubeName() {
    return kubeName;
  }

  /**
   * Whether the request will never run again (a {@link #FAILED} one may be replayed as a new
   * attempt).
   *
   * @return {@code true} for Successful, Failed and Skipped
   */
  public boolean terminal() {
    return this == SUCCESSFUL || this == FAILED || this == SKIPPED;
  }

  /**
   * Parses KubeDB's spelling.
   *
   * @param kubeName e.g. {@code "Failed"}
   * @return the phase
   * @throws IllegalArgumentException for any other string
   */
  @JsonCreator
  public static OpsPhase fromKubeName(String kubeName) {
    for (OpsPhase phase : values()) {
      if (phase.kubeName.equals(kubeName)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown ops request phase \"" + kubeName + "\"");
  }
}
