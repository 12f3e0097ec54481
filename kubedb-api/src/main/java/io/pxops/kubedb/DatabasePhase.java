package io.pxops.kubedb;

/**
 * The values of {@code PerconaXtraDB.status.phase} (KubeDB's {@code DatabasePhase}). Kept as strings on the
 * status object so that a value a newer KubeDB adds is never lost.
 */
public final class DatabasePhase {

  public static final String PROVISIONING = "Provisioning";
  public static final String DATA_RESTORING = "DataRestoring";
  public static final String READY = "Ready";
  public static final String CRITICAL = "Critical";
  public static final String NOT_READY = "NotReady";
  public static final String HALTED = "Halted";
  public static final String UNKNOWN = "Unknown";

  private DatabasePhase() {
  }
}
