package io.pxops.events;

import java.time.Duration;

/**
 * Check that the update may start; answered by {@link PreflightPassed} or {@link StepFailed}.
 *
 * @param spec the request
 * @param corrective {@code true} for a replay or an {@code apply: Always} request: the runner checks
 *     that the version path is legal but does not require a Ready database or a Synced, full
 *     cluster (the update may be what repairs it)
 * @param timeout the per-step timeout
 */
public record RunPreflight(RequestSpec spec, boolean corrective, Duration timeout)
    implements Command {

  /** Requires spec and timeout. */
  public RunPreflight {
    Require.present(spec, "spec");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.PREFLIGHT;
  }
}
