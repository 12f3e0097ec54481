package io.pxops.requestingest.dryrun;

/**
 * The {@code dryRun} query parameter of the ingest's POSTs: Kubernetes spells it {@code dryRun=All} (the only value
 * its API server takes), and {@code dryRun=true} is accepted too. Any other value is refused rather than taken as
 * "not a dry run": a caller who meant a dry run and mistyped it must not create anything.
 */
public enum DryRunParam {
  /** No {@code dryRun} parameter: the real call. */
  ABSENT,
  /** {@code All} or {@code true}: decide and plan, write nothing. */
  DRY_RUN,
  /** Any other value. */
  INVALID;

  /** The refusal's rule for {@link #INVALID}. */
  public static final String RULE = "InvalidDryRun";

  /**
   * Reads the parameter.
   *
   * @param value the query parameter's value, or null when absent
   * @return what it asks for
   */
  public static DryRunParam of(String value) {
    if (value == null) {
      return ABSENT;
    }
    return "All".equals(value) || "true".equals(value) ? DRY_RUN : INVALID;
  }

  /**
   * The refusal's sentence for {@link #INVALID}.
   *
   * @param value the value sent
   * @return the message
   */
  public static String message(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return "dryRun must be All (Kubernetes' spelling) or true, but was \"" + shown + "\"; nothing was created";
  }
}
