package io.pxops.kubedb;

/** {@code PerconaXtraDB.status}; the phase values are in {@link DatabasePhase}. */
public class PerconaXtraDBStatus extends ConditionedStatus {
}
