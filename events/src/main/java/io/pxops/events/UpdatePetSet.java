package io.pxops.events;

import java.time.Duration;

/**
 * Put the target version's images into the PetSet pod template; answered by {@link PetSetUpdated}.
 * Idempotent: a template that already carries them is just reported.
 *
 * @param targetVersion the catalog name of the target version
 * @param timeout the per-step timeout
 */
public record UpdatePetSet(String targetVersion, Duration timeout) implements Command {

  /** Requires target version and timeout. */
  public UpdatePetSet {
    Require.text(targetVersion, "targetVersion");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.UPDATE_PETSET;
  }
}
