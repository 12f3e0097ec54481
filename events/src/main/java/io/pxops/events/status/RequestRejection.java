package io.pxops.events.status;

/**
 * Why the ingest refused a request (nothing changed in the cluster).
 *
 * @param field the offending field's path, e.g. {@code "spec.updateVersion.targetVersion"}
 * @param rule the rule that refused it, e.g. {@code "UpdateConstraints"}
 * @param message a sentence for humans
 */
public record RequestRejection(String field, String rule, String message) {}
