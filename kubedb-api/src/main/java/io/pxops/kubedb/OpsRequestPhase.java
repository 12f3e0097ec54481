package io.pxops.kubedb;

/** The values of an ops request's {@code status.phase} (KubeDB's {@code OpsRequestPhase}). */
public final class OpsRequestPhase {

  public static final String PENDING = "Pending";
  public static final String PROGRESSING = "Progressing";
  public static final String SUCCESSFUL = "Successful";
  public static final String FAILED = "Failed";
  public static final String SKIPPED = "Skipped";
  public static final String WAITING_FOR_APPROVAL = "WaitingForApproval";
  public static final String APPROVED = "Approved";
  public static final String DENIED = "Denied";

  private OpsRequestPhase() {
  }

  /** Whether the phase is final: {@code Successful}, {@code Failed} or {@code Skipped}. */
  public static boolean isCompleted(String phase) {
    return SUCCESSFUL.equals(phase) || FAILED.equals(phase) || SKIPPED.equals(phase);
  }
}
