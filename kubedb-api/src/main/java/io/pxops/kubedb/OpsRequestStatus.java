package io.pxops.kubedb;

/** KubeDB's {@code OpsRequestStatus}, shared by all ops request kinds; phases in {@link OpsRequestPhase}. */
public class OpsRequestStatus extends ConditionedStatus {
}
