package io.pxops.events.status;

import io.pxops.events.Step;

/**
 * Why a request failed.
 *
 * @param step the step that failed
 * @param pod its pod for a per-pod step, else {@code null}
 * @param reason a CamelCase reason, e.g. {@code "StepTimedOut"} or {@code "ImagePullBackOff"}
 * @param message a sentence for humans
 */
public record RequestFailure(Step step, String pod, String reason, String message) {}
