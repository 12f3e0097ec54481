/**
 * The status contract: what the status projector publishes on {@code pxops.status} (one {@link
 * io.pxops.events.status.RequestStatus} per ops request) and serves per database ({@link
 * io.pxops.events.status.DatabaseStatus}), and the pure folds that compute them from the lifecycle
 * log ({@link io.pxops.events.status.StatusFold}, {@link io.pxops.events.status.DatabaseStatusFold}).
 *
 * <p>It lives in the contract module because the CLI reads {@code pxops.status} too: like the rest of
 * {@code io.pxops.events} it depends on the JDK and Jackson only, and its records follow the same
 * evolution rules (fields are only added; readers ignore fields they do not know).
 *
 * <p>The status is shaped like KubeDB's {@code OpsRequestStatus}: a phase spelled as KubeDB spells it
 * and a list of conditions that is a map keyed by {@code type} (kmapi's {@code SetCondition}), in
 * KubeDB's names and order, plus what a person watching an update wants to see: the current step,
 * per-pod progress, step durations, the failure or rejection.
 */
package io.pxops.events.status;
