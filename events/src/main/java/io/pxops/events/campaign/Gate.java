package io.pxops.events.campaign;

import java.time.Duration;

/** What must happen before a stage starts. */
public sealed interface Gate {

  /** Nothing: the stage starts as soon as the one before it is done. */
  record None() implements Gate {}

  /**
   * A wait after the previous stage is done (for the first stage: after the campaign starts), to
   * let trouble in the updated databases show.
   *
   * @param duration how long
   */
  record Wait(Duration duration) implements Gate {}

  /** A person says go: {@code pxops campaign approve}. */
  record Approval() implements Gate {}
}
