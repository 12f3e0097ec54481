package io.pxops.verifier;

import io.pxops.events.Message;
import io.pxops.events.VerifyPod;
import io.pxops.pipeline.metrics.PxopsMeters;
import java.util.List;

/**
 * The verifier's verdicts, {@code pxops_verifier_verdicts_total{check, verdict, reason}}: one per look that ends an
 * attempt. The reason is a closed set — the waiting reasons below, a failure's CamelCase reason constant, or
 * {@code healthy} — never the verdict's detail (it names pods and numbers, which would make a series per pod).
 */
public final class VerdictMeters {

  /** Waiting: a node is not Synced/Primary/Ready yet. */
  static final String NOT_READY = "not-ready";
  /** Waiting: a node is receiving a state transfer (IST/SST). */
  static final String STATE_TRANSFER = "state-transfer";
  /** Waiting: the nodes report different views of the cluster. */
  static final String VIEW_SPLIT = "view-split";
  /** Waiting: the data check found a difference (maybe a row in flight); the hold starts again. */
  static final String DATA_CHECK = "data-check";
  /** Waiting: healthy, but the hold (looks in one unchanged view) is not complete yet. */
  static final String HOLDING = "holding";

  /** The failure reasons the verifier gives (FatalStepException reasons and ClusterCheck's Broken reasons). */
  static final List<String> FAILURES = List.of("DatabaseNotFound", "AuthSecretNotFound", "PodStuck",
      "ClusterUnhealthy", "DataMismatch");

  private VerdictMeters() {
  }

  /** Exports every verdict's counter at 0 (see {@link PxopsMeters#initializeVerdicts}). */
  public static void initialize() {
    List<String> checks = List.of("pod", "cluster");
    PxopsMeters.initializeVerdicts(checks, "healthy", List.of("healthy"));
    PxopsMeters.initializeVerdicts(checks, "waiting", List.of(NOT_READY, STATE_TRANSFER, VIEW_SPLIT, DATA_CHECK,
        HOLDING));
    PxopsMeters.initializeVerdicts(checks, "failed", FAILURES);
  }

  private static String check(Object command) {
    return command instanceof VerifyPod ? "pod" : "cluster";
  }

  static void healthy(Message command) {
    PxopsMeters.verdict(check(command), "healthy", "healthy");
  }

  static void waiting(Message command, String reason) {
    PxopsMeters.verdict(check(command), "waiting", reason);
  }

  static void failed(Object command, String reason) {
    PxopsMeters.verdict(check(command), "failed", reason);
  }
}
