package io.pxops.kubedb;

import java.util.List;

/**
 * KubeDB's database condition types and reasons ({@code apis/kubedb/constants.go}), and the pause/resume helpers.
 *
 * <p>Pausing a database means setting the condition {@value #PAUSED} to True on its status; the community operator
 * then leaves its PetSet, Secrets and Services alone. Resuming removes the condition. This is not
 * {@code spec.halted}, which deletes the PetSet.
 */
public final class KubeDbConditions {

  public static final String PROVISIONING_STARTED = "ProvisioningStarted";
  public static final String PROVISIONED = "Provisioned";
  public static final String REPLICA_READY = "ReplicaReady";
  public static final String ACCEPTING_CONNECTION = "AcceptingConnection";
  public static final String READY = "Ready";
  public static final String SERVER_READY = "ServerReady";
  public static final String PAUSED = "Paused";
  public static final String HALTED = "Halted";
  public static final String HEALTH_CHECK_PAUSED = "HealthCheckPaused";

  public static final String REASON_PROVISIONING_STARTED = "DatabaseProvisioningStartedSuccessfully";
  public static final String REASON_PROVISIONED = "DatabaseSuccessfullyProvisioned";
  public static final String REASON_ALL_REPLICAS_READY = "AllReplicasReady";
  public static final String REASON_SOME_REPLICAS_NOT_READY = "SomeReplicasNotReady";
  public static final String REASON_ACCEPTING_CONNECTION = "DatabaseAcceptingConnectionRequest";
  public static final String REASON_NOT_ACCEPTING_CONNECTION = "DatabaseNotAcceptingConnectionRequest";
  public static final String REASON_READINESS_CHECK_SUCCEEDED = "ReadinessCheckSucceeded";
  public static final String REASON_READINESS_CHECK_FAILED = "ReadinessCheckFailed";
  public static final String REASON_PAUSED = "Paused";

  private KubeDbConditions() {
  }

  /** Whether the database carries the {@code Paused} condition with status True. */
  public static boolean isPaused(PerconaXtraDB db) {
    return db != null && db.getStatus() != null && Conditions.isTrue(db.getStatus().getConditions(), PAUSED);
  }

  /** A {@code Paused=True} condition, for the database's status. */
  public static Condition paused(String message, Long observedGeneration) {
    return Condition.isTrue(PAUSED, REASON_PAUSED, message, observedGeneration);
  }

  /** {@code conditions} with {@code Paused=True} set (kmapi upsert semantics). */
  public static List<Condition> pause(List<Condition> conditions, String message, Long observedGeneration) {
    return Conditions.set(conditions, paused(message, observedGeneration));
  }

  /** {@code conditions} without the {@code Paused} condition: resuming removes it, as KubeDB does. */
  public static List<Condition> resume(List<Condition> conditions) {
    return Conditions.remove(conditions, PAUSED);
  }
}
