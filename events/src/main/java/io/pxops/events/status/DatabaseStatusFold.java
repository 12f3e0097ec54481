package io.pxops.events.status;

import io.pxops.events.ResultAcceptance;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.OpsPhase;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestQueued;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.StepStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pure fold of the lifecycle log into the status of one database: {@code apply(current, event)
 * -> next}, fed every event of that database in log order.
 *
 * <ol>
 *   <li><b>Scope.</b> Events of another database, commands, recent event ids and events that would
 *       change nothing leave the status as it is.
 *   <li><b>Queue.</b> {@code RequestQueued} appends the request to {@code pendingRequests}; {@code
 *       RequestSkipped} removes it; {@code RequestStarted} makes it the active request. {@code
 *       RequestWaitingForWindow} of a request not yet started appends it too; {@code RequestFailed}
 *       of a pending one (its window never opens) removes it.
 *   <li><b>Active request.</b> {@code StepStarted} of the active request sets the awaited command;
 *       its results count only when caused by that command (the coordinator's rule): {@code
 *       PreflightPassed} and {@code DatabaseVersionUpdated} set {@code currentVersion}, {@code
 *       DatabasePaused} and {@code DatabaseResumed} set {@code paused}.
 *   <li><b>End.</b> {@code RequestSucceeded} or {@code RequestFailed} of the active request frees
 *       the database and records {@code lastOutcome}; success also records {@code
 *       lastSuccessfulVersion} as the version the request wrote.
 * </ol>
 */
public final class DatabaseStatusFold {

  private DatabaseStatusFold() {}

  /**
   * Applies one event of the lifecycle log.
   *
   * @param current the status so far, or {@code null} if nothing is known of the database yet
   * @param event an envelope from the lifecycle log
   * @return the next status; {@code current} itself (possibly {@code null}) when the event changes
   *     nothing
   */
  public static DatabaseStatus apply(DatabaseStatus current, Envelope event) {
    Objects.requireNonNull(event, "event");
    if (current != null && !current.database().equals(event.database())) {
      return current;
    }
    if (!(event.payload() instanceof Event payload)) {
      return current;
    }
    DatabaseStatus base = current != null ? current : DatabaseStatus.initial(event.database());
    if (base.recentEventIds().contains(event.eventId())) {
      return current;
    }
    DatabaseStatus next = fold(base, event, payload);
    if (next.equals(base)) {
      return current;
    }
    List<String> recent = new ArrayList<>(next.recentEventIds());
    recent.add(event.eventId());
    while (recent.size() > DatabaseStatus.RECENT_EVENT_IDS_LIMIT) {
      recent.remove(0);
    }
    return new DatabaseStatus(
        next.database(),
        next.currentVersion(),
        next.lastSuccessfulVersion(),
        next.activeRequest(),
        next.activeCommandId(),
        next.pendingRequests(),
        next.paused(),
        next.lastOutcome(),
        event.occurredAt(),
        event.eventId(),
        recent);
  }

  private static DatabaseStatus fold(DatabaseStatus s, Envelope e, Event payload) {
    String request = e.opsRequest();
    Instant at = e.occurredAt();
    List<String> pending = new ArrayList<>(s.pendingRequests());
    // a request waiting for its window to start holds the database's turn as a pending one does
    if (payload instanceof RequestQueued
        || payload instanceof RequestWaitingForWindow waiting && waiting.pod() == null) {
      if (request.equals(s.activeRequest()) || pending.contains(request)) {
        return s;
      }
      pending.add(request);
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), s.activeRequest(),
          s.activeCommandId(), pending, s.paused(), s.lastOutcome());
    }
    if (payload instanceof RequestSkipped) {
      pending.remove(request);
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), s.activeRequest(),
          s.activeCommandId(), pending, s.paused(), s.lastOutcome());
    }
    if (payload instanceof RequestStarted) {
      if (request.equals(s.activeRequest())) {
        return s;
      }
      pending.remove(request);
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), request, null, pending,
          s.paused(), s.lastOutcome());
    }
    if (payload instanceof RequestFailed && pending.remove(request)) {
      // one whose window never opens fails before it starts
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), s.activeRequest(),
          s.activeCommandId(), pending, s.paused(), s.lastOutcome());
    }
    if (!request.equals(s.activeRequest())) {
      return s;
    }
    if (payload instanceof StepStarted started) {
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), request, started.commandId(),
          pending, s.paused(), s.lastOutcome());
    }
    if (payload instanceof RequestSucceeded) {
      return with(s, s.currentVersion(), s.currentVersion(), null, null, pending, s.paused(),
          new RequestOutcome(request, OpsPhase.SUCCESSFUL, "Successful",
              "updated " + s.database() + " to version " + s.currentVersion(), at));
    }
    if (payload instanceof RequestFailed failed) {
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), null, null, pending, s.paused(),
          new RequestOutcome(request, OpsPhase.FAILED, failed.reason(), failed.message(), at));
    }
    if (!ResultAcceptance.answers(s.activeCommandId(), e.causationId())) {
      return s;
    }
    if (payload instanceof PreflightPassed passed) {
      return with(s, passed.currentVersion(), s.lastSuccessfulVersion(), request,
          s.activeCommandId(), pending, s.paused(), s.lastOutcome());
    }
    if (payload instanceof DatabaseVersionUpdated updated) {
      return with(s, updated.version(), s.lastSuccessfulVersion(), request, s.activeCommandId(),
          pending, s.paused(), s.lastOutcome());
    }
    if (payload instanceof DatabasePaused || payload instanceof DatabaseResumed) {
      return with(s, s.currentVersion(), s.lastSuccessfulVersion(), request, s.activeCommandId(),
          pending, payload instanceof DatabasePaused, s.lastOutcome());
    }
    return s;
  }

  private static DatabaseStatus with(DatabaseStatus s, String currentVersion,
      String lastSuccessfulVersion, String activeRequest, String activeCommandId,
      List<String> pending, boolean paused, RequestOutcome lastOutcome) {
    return new DatabaseStatus(s.database(), currentVersion, lastSuccessfulVersion, activeRequest,
        activeCommandId, pending, paused, lastOutcome, s.updatedAt(), s.lastEventId(),
        s.recentEventIds());
  }
}
