package io.pxops.pipeline.steps;

import io.pxops.events.Event;

/** What one look at the world gave: the step's result, or "not yet" (with whether that is progress). */
public sealed interface Attempt {

  /** The step is done; {@code result} answers the command. */
  record Done(Event result) implements Attempt {
  }

  /**
   * Not yet: look again later.
   *
   * @param detail what is awaited, for logs and progress events
   * @param progress true when something is moving (a pod starting, a node joining): it extends the step deadline
   */
  record NotYet(String detail, boolean progress) implements Attempt {
  }
}
