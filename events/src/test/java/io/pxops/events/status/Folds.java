package io.pxops.events.status;

import io.pxops.events.Envelope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Folds whole logs, as the projector does: one status per ops request, one per database. */
final class Folds {

  private Folds() {}

  static Map<String, RequestStatus> requests(List<Envelope> log) {
    return requests(new LinkedHashMap<>(), log);
  }

  static Map<String, RequestStatus> requests(Map<String, RequestStatus> start, List<Envelope> log) {
    Map<String, RequestStatus> byRequest = new LinkedHashMap<>(start);
    for (Envelope e : log) {
      RequestStatus next = StatusFold.apply(byRequest.get(e.opsRequest()), e);
      if (next != null) {
        byRequest.put(e.opsRequest(), next);
      }
    }
    return byRequest;
  }

  static RequestStatus request(List<Envelope> log, String opsRequest) {
    return requests(log).get(opsRequest);
  }

  static DatabaseStatus database(DatabaseStatus start, List<Envelope> log) {
    DatabaseStatus status = start;
    for (Envelope e : log) {
      status = DatabaseStatusFold.apply(status, e);
    }
    return status;
  }
}
