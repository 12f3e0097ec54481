package io.pxops.events.plan;

import io.pxops.events.Envelope;
import java.util.List;

/**
 * What the plan decided for one input.
 *
 * @param next the database's new state (the same object when nothing changed)
 * @param out the events and commands to write, in order; each goes to {@link Envelope#topic()},
 *     keyed by {@link Envelope#database()}
 */
public record Decision(DatabaseState next, List<Envelope> out) {

  /** Copies the output list. */
  public Decision {
    if (next == null) {
      throw new IllegalArgumentException("next state is required");
    }
    out = List.copyOf(out);
  }

  /**
   * A decision that changes nothing and writes nothing.
   *
   * @param state the current state
   * @return the no-op decision
   */
  public static Decision unchanged(DatabaseState state) {
    return new Decision(state, List.of());
  }
}
