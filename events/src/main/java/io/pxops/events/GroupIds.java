package io.pxops.events;

/**
 * Consumer {@code group.id}s and Kafka Streams {@code application.id}s, as explicit constants: a
 * renamed class must never silently create a new group that replays from the earliest offset.
 */
public final class GroupIds {

  /** Streams application id of the coordinator (sequences the steps of every database). */
  public static final String COORDINATOR = "pxops-coordinator";

  /** Consumer group of the step runners (read {@link Topics#COMMANDS}). */
  public static final String STEP_RUNNERS = "pxops-step-runners";

  /** Consumer group of the verifier (reads the verify commands from {@link Topics#COMMANDS}). */
  public static final String VERIFIER = "pxops-verifier";

  /** Streams application id of the status projector (folds {@link Topics#EVENTS}). */
  public static final String STATUS_PROJECTOR = "pxops-status-projector";

  /** Consumer group of the request ingest (reads {@link Topics#REQUESTS}). */
  public static final String REQUEST_INGEST = "pxops-request-ingest";

  private GroupIds() {}
}
