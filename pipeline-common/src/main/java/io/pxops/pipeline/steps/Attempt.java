package io.pxops.pipeline.steps;

import io.pxops.events.Event;
import java.time.Duration;

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
   * @param lookAgainIn when the next look is due if sooner than the service's recheck (what is awaited takes
   *     milliseconds, e.g. a controller catching up); null: the recheck. The service's scheduler keeps it, so no
   *     attempt thread sleeps
   */
  record NotYet(String detail, boolean progress, Duration lookAgainIn) implements Attempt {

    /** Not yet, looked at again at the service's recheck. */
    public NotYet(String detail, boolean progress) {
      this(detail, progress, null);
    }
  }
}
