package io.pxops.events;

/**
 * A fact, named in the past tense. Events go to {@link Topics#EVENTS}, the lifecycle log that the
 * coordinator, the status projector and the CLI read.
 *
 * <p>Three groups of events exist:
 *
 * <ul>
 *   <li>inputs from the edge: {@link RequestAdmitted}, {@link RequestRejected}, {@link
 *       CancelRequested}, {@link ReplayRequested};
 *   <li>decisions of the coordinator (its update plan): {@link RequestQueued}, {@link
 *       RequestWaitingForWindow}, {@link RequestStarted},
 *       {@link RequestSkipped}, {@link RequestSucceeded}, {@link RequestFailed}, {@link StepStarted},
 *       {@link StepTimedOut};
 *   <li>results reported by runners and the verifier, each answering one {@link Command} (their
 *       {@code causationId} is the command's {@code eventId}): {@link StepProgressed}, {@link
 *       StepFailed}, {@link PreflightPassed}, {@link ClusterVerified}, {@link DatabasePaused}, {@link
 *       PetSetUpdated}, {@link PodEvicted}, {@link PodAlreadyUpdated}, {@link PodRunning}, {@link
 *       PodVerified}, {@link DatabaseVersionUpdated}, {@link DatabaseResumed}.
 * </ul>
 */
public sealed interface Event extends Message
    permits RequestAdmitted,
        RequestRejected,
        CancelRequested,
        ReplayRequested,
        RequestQueued,
        RequestWaitingForWindow,
        RequestStarted,
        RequestSkipped,
        RequestSucceeded,
        RequestFailed,
        StepStarted,
        StepProgressed,
        StepFailed,
        StepTimedOut,
        PreflightPassed,
        ClusterVerified,
        DatabasePaused,
        PetSetUpdated,
        PodEvicted,
        PodAlreadyUpdated,
        PodRunning,
        PodVerified,
        DatabaseVersionUpdated,
        DatabaseResumed {}
