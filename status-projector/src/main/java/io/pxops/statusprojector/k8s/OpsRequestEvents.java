package io.pxops.statusprojector.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pxops.events.Step;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.OpsRequestStatus;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events that tell an update's story where {@code kubectl describe} looks: one on the ops request for each
 * condition that appears or changes in a status write (a step started, done, failed; the request's end), as KubeDB's
 * Ops Manager records one per step; and one on the database for its pause and its resume.
 *
 * <p>Why from the status write: the write-back already compares the object's status with the projected one, so the
 * conditions new in this write are exactly what happened since the last write, whatever statuses a poll collapsed.
 * Each Event's name is derived from the request's uid and the condition (type, status, time), so a write repeated
 * after a crash creates the same names and the API refuses the copies (409): no Event is told twice. An Event that
 * cannot be written is logged and dropped: Events are the story, never the record (the status and the log are).
 */
final class OpsRequestEvents {

  /** The component Events name as their source. */
  static final String COMPONENT = "pxops";

  private static final Logger LOG = LoggerFactory.getLogger(OpsRequestEvents.class);

  private final KubernetesClient client;

  OpsRequestEvents(KubernetesClient client) {
    this.client = client;
  }

  /** The Events for what changed between {@code before} and {@code after}, both possibly without conditions. */
  void record(PerconaXtraDBOpsRequest object, OpsRequestStatus before, OpsRequestStatus after) {
    for (Event e : changes(object, before, after)) {
      try {
        client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).create();
      } catch (KubernetesClientException ex) {
        if (ex.getCode() != 409) { // 409: this Event was told already (a repeated write)
          LOG.warn("event {} on {} not recorded: {}", e.getReason(), e.getInvolvedObject().getName(),
              ex.getMessage());
        }
      }
    }
  }

  /** The Events a status change tells, in the order of the new status's conditions. Pure. */
  static List<Event> changes(PerconaXtraDBOpsRequest object, OpsRequestStatus before, OpsRequestStatus after) {
    Map<String, Condition> was = conditions(before).stream()
        .collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> b));
    List<Event> out = new ArrayList<>();
    for (Condition c : conditions(after)) {
      Condition old = was.get(c.getType());
      if (old != null && Objects.equals(old.getStatus(), c.getStatus())
          && Objects.equals(old.getReason(), c.getReason())) {
        continue;
      }
      boolean failed = Condition.FALSE.equals(c.getStatus());
      String message = c.getMessage() == null || c.getMessage().isBlank() ? c.getType() + ": " + c.getStatus()
          : c.getMessage();
      out.add(event(object, c, failed ? "Warning" : "Normal", c.getType(), message));
      String db = object.getSpec() == null || object.getSpec().getDatabaseRef() == null ? null
          : object.getSpec().getDatabaseRef().getName();
      boolean done = Condition.TRUE.equals(c.getStatus());
      if (db != null && done && Step.PAUSE_DATABASE.conditionType(null).equals(c.getType())) {
        out.add(onDatabase(object, db, c, "Paused", "Successfully paused PerconaXtraDB database "
            + object.getMetadata().getNamespace() + "/" + db + " for PerconaXtraDBOpsRequest " + name(object)));
      } else if (db != null && done && Step.RESUME_DATABASE.conditionType(null).equals(c.getType())) {
        out.add(onDatabase(object, db, c, "Resumed", "Successfully resumed PerconaXtraDB database "
            + object.getMetadata().getNamespace() + "/" + db + " for PerconaXtraDBOpsRequest " + name(object)));
      }
    }
    return out;
  }

  private static List<Condition> conditions(OpsRequestStatus status) {
    return status == null || status.getConditions() == null ? List.of() : status.getConditions();
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static Event event(PerconaXtraDBOpsRequest object, Condition c, String type, String reason,
      String message) {
    return build(object.getMetadata().getName(), uniqueSuffix(object, c, reason), object.getMetadata()
        .getNamespace(), PerconaXtraDBOpsRequest.API_VERSION, "PerconaXtraDBOpsRequest",
        object.getMetadata().getName(), object.getMetadata().getUid(), type, reason, message, at(c));
  }

  private static Event onDatabase(PerconaXtraDBOpsRequest object, String db, Condition c, String reason,
      String message) {
    return build(db, uniqueSuffix(object, c, reason), object.getMetadata().getNamespace(), PerconaXtraDB.API_VERSION,
        "PerconaXtraDB", db, null, "Normal", reason, message, at(c));
  }

  private static Event build(String prefix, String suffix, String ns, String apiVersion, String kind, String name,
      String uid, String type, String reason, String message, String time) {
    // a name within 253 characters whatever the object's name: its first 200, then the 16-hex suffix
    String eventName = (prefix.length() > 200 ? prefix.substring(0, 200) : prefix) + "." + suffix;
    return new EventBuilder().withNewMetadata().withName(eventName).withNamespace(ns).endMetadata()
        .withNewInvolvedObject().withApiVersion(apiVersion).withKind(kind).withName(name).withNamespace(ns)
        .withUid(uid).endInvolvedObject()
        .withType(type).withReason(reason.length() > 128 ? reason.substring(0, 128) : reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withFirstTimestamp(time).withLastTimestamp(time).withCount(1).withReportingComponent(COMPONENT)
        .build();
  }

  private static String at(Condition c) {
    return c.getLastTransitionTime() != null ? c.getLastTransitionTime()
        : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** The same condition change of the same object always gets the same name: a repeated write tells nothing twice. */
  private static String uniqueSuffix(PerconaXtraDBOpsRequest object, Condition c, String reason) {
    String key = object.getMetadata().getUid() + "|" + c.getType() + "|" + c.getStatus() + "|" + c.getReason()
        + "|" + c.getLastTransitionTime() + "|" + reason;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
