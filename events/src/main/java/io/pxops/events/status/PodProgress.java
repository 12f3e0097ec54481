package io.pxops.events.status;

import io.pxops.events.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The progress of one pod through the rolling restart.
 *
 * @param pod the pod name
 * @param phase where it stands
 * @param lastStep the last per-pod step the coordinator started for it, or {@code null}
 * @param image the image it was last seen running
 * @param startedAt when its first step started, or {@code null}
 * @param evictedAt when it was evicted, or {@code null}
 * @param runningAt when it ran the target image and was Ready, or {@code null}
 * @param verifiedAt when the cluster was verified after it came back, or {@code null}
 * @param duration {@code verifiedAt - startedAt} once verified, else {@code null}
 */
public record PodProgress(
    String pod,
    PodPhase phase,
    Step lastStep,
    String image,
    Instant startedAt,
    Instant evictedAt,
    Instant runningAt,
    Instant verifiedAt,
    Duration duration) {

  /** Requires pod and phase. */
  public PodProgress {
    if (pod == null || pod.isBlank()) {
      throw new IllegalArgumentException("pod.pod must be a non-blank string");
    }
    Objects.requireNonNull(phase, "pod.phase is required");
  }

  /**
   * A pod as first seen.
   *
   * @param pod its name
   * @param phase {@link PodPhase#WAITING} or {@link PodPhase#UP_TO_DATE}
   * @param image the image it runs
   * @return the progress
   */
  static PodProgress seen(String pod, PodPhase phase, String image) {
    return new PodProgress(pod, phase, null, image, null, null, null, null, null);
  }

  PodProgress withImage(String value) {
    return new PodProgress(
        pod, phase, lastStep, value, startedAt, evictedAt, runningAt, verifiedAt, duration);
  }

  PodProgress stepStarted(Step step, Instant at) {
    PodPhase next = phase == PodPhase.UP_TO_DATE ? PodPhase.WAITING : phase;
    return new PodProgress(
        pod,
        next,
        step,
        image,
        startedAt == null ? at : startedAt,
        evictedAt,
        runningAt,
        verifiedAt,
        duration);
  }

  PodProgress evicted(Instant at) {
    return new PodProgress(
        pod,
        PodPhase.EVICTED,
        lastStep,
        image,
        startedAt,
        evictedAt == null ? at : evictedAt,
        runningAt,
        verifiedAt,
        duration);
  }

  PodProgress running(String value, Instant at) {
    return new PodProgress(
        pod,
        PodPhase.RUNNING,
        lastStep,
        value,
        startedAt,
        evictedAt,
        runningAt == null ? at : runningAt,
        verifiedAt,
        duration);
  }

  PodProgress verified(Instant at) {
    Instant when = verifiedAt == null ? at : verifiedAt;
    Duration took =
        startedAt == null || when.isBefore(startedAt) ? null : Duration.between(startedAt, when);
    return new PodProgress(
        pod, PodPhase.VERIFIED, lastStep, image, startedAt, evictedAt, runningAt, when, took);
  }
}
