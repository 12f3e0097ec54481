package io.pxops.pipeline.claim;

import io.pxops.pipeline.settings.PxopsSettings;
import java.util.Map;

/**
 * Which {@code PerconaXtraDBOpsRequest} objects pxops acts on: the one rule the request ingest (which admits them)
 * and the status projector (which writes their {@code .status}) share, so that pxops never touches an ops request
 * that belongs to KubeDB's own Ops Manager.
 *
 * <p>Only {@code spec.type: UpdateVersion} is ever claimed: every other type (Restart, HorizontalScaling, …) is
 * KubeDB's. Before this rule pxops admitted every ops request it saw and marked the other types {@code Failed},
 * which on a cluster running KubeDB's Ops Manager would have failed that operator's work under it.
 *
 * <p>Of the UpdateVersion requests, the mode decides ({@value #ENV}):
 * <ul>
 *   <li>{@code labelled} (the default): only those labelled or annotated {@value #KEY}{@code : }{@value #VALUE}.
 *       KubeDB's ops requests have no field that names their controller (nothing like an Ingress's class or a
 *       Job's {@code spec.managedBy}), and KubeDB's Ops Manager acts on every request of its kinds; were pxops to
 *       claim unmarked requests too, both would pause the database, rewrite the PetSet and evict pods for the
 *       same request — two rolling restarts racing, the failure pxops exists to prevent. A default must be safe on
 *       a cluster where KubeDB is installed, so pxops only takes what is marked for it.
 *   <li>{@code all}: every UpdateVersion request, except one whose {@value #KEY} names another manager. For
 *       clusters where KubeDB's Ops Manager does not run (or does not handle PerconaXtraDB), so that KubeDB's own
 *       YAML works unchanged.
 * </ul>
 * Requests that come through pxops' own doors (HTTP, Kafka) are created with the label, so both modes claim them.
 *
 * @param mode which UpdateVersion requests are claimed
 */
public record OpsRequestClaim(Mode mode) {

  /** The environment variable (and {@code --pxops-claim} flag) that sets the mode. */
  public static final String ENV = "PXOPS_CLAIM";
  /** The label or annotation that hands a request to pxops. */
  public static final String KEY = "ops.pxops.io/managed-by";
  /** Its value for pxops. */
  public static final String VALUE = "pxops";
  /** The only ops request type pxops runs. */
  public static final String UPDATE_VERSION = "UpdateVersion";

  /** Every UpdateVersion request not marked for another manager. */
  public static final OpsRequestClaim ALL = new OpsRequestClaim(Mode.ALL);
  /** Only UpdateVersion requests marked {@value #KEY}{@code : }{@value #VALUE}. */
  public static final OpsRequestClaim LABELLED = new OpsRequestClaim(Mode.LABELLED);

  /** Which UpdateVersion requests are claimed. */
  public enum Mode {
    ALL, LABELLED
  }

  public OpsRequestClaim {
    if (mode == null) {
      throw new IllegalArgumentException(ENV + " must be all or labelled");
    }
  }

  /**
   * The mode from {@value #ENV}: {@code labelled} (default) or {@code all}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the variable and the rule for any other value
   */
  public static OpsRequestClaim fromEnv(Map<String, String> env) {
    String value = env.get(ENV);
    if (value != null && value.isBlank()) {
      return LABELLED;
    }
    return PxopsSettings.CLAIM.read(env).equals("all") ? ALL : LABELLED;
  }

  /**
   * Whether pxops acts on an ops request with this type, labels and annotations (either may be null).
   */
  public boolean claims(String type, Map<String, String> labels, Map<String, String> annotations) {
    if (!UPDATE_VERSION.equals(type)) {
      return false;
    }
    String marker = marker(labels, annotations);
    if (marker != null) {
      return VALUE.equals(marker);
    }
    return mode == Mode.ALL;
  }

  /** The label's value, else the annotation's, else null. */
  private static String marker(Map<String, String> labels, Map<String, String> annotations) {
    String label = labels == null ? null : labels.get(KEY);
    if (label != null && !label.isBlank()) {
      return label.trim();
    }
    String annotation = annotations == null ? null : annotations.get(KEY);
    return annotation == null || annotation.isBlank() ? null : annotation.trim();
  }

  /** For the start-up log line. */
  @Override
  public String toString() {
    return mode == Mode.ALL ? "all" : "labelled (" + KEY + ": " + VALUE + ")";
  }
}
