package io.pxops.events.status;

import io.pxops.events.OpsPhase;
import java.time.Instant;

/**
 * How a request that ran on a database ended.
 *
 * @param opsRequest the ops request, {@code "namespace/name"}
 * @param phase {@link OpsPhase#SUCCESSFUL} or {@link OpsPhase#FAILED}
 * @param reason {@code "Successful"} or the failure's reason
 * @param message a sentence for humans
 * @param finishedAt when it ended
 */
public record RequestOutcome(
    String opsRequest, OpsPhase phase, String reason, String message, Instant finishedAt) {}
