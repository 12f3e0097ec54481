package io.pxops.events;

/**
 * The ingest refused a request; nothing changes in the cluster. The request's own fields are kept
 * raw, as they came in, because a rejected request may not make a valid {@link RequestSpec}.
 *
 * @param name the ops request's name
 * @param namespace the ops request's namespace
 * @param database the database name as given, or {@code null}
 * @param targetVersion the target version as given, or {@code null}
 * @param door how it came in ({@code "http"}, {@code "kafka"}, {@code "kubernetes"}), or {@code null}
 * @param clientRequestId the submitter's own id, or {@code null}
 * @param field the offending field's path, e.g. {@code "spec.updateVersion.targetVersion"}
 * @param rule the rule that refused it, e.g. {@code "UpdateConstraints"}
 * @param message a sentence for humans, e.g. "upgrade from version 8.0.40 to 5.7.44 is not supported"
 */
public record RequestRejected(
    String name,
    String namespace,
    String database,
    String targetVersion,
    String door,
    String clientRequestId,
    String field,
    String rule,
    String message)
    implements Event {

  /** Requires the request's name and namespace and the reason. */
  public RequestRejected {
    Require.text(name, "name");
    Require.text(namespace, "namespace");
    Require.text(field, "field");
    Require.text(rule, "rule");
    Require.text(message, "message");
  }
}
