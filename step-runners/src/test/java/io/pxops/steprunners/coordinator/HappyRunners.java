package io.pxops.steprunners.coordinator;

import io.pxops.events.Command;
import io.pxops.events.Message;
import io.pxops.sandbox.world.SuccessfulAnswers;

/** The runners' and the verifier's successful answers ({@link SuccessfulAnswers}) for database {@code orders}. */
final class HappyRunners {

  static final String OLD = SuccessfulAnswers.OLD_IMAGE;
  static final String NEW = SuccessfulAnswers.NEW_IMAGE;

  private HappyRunners() {
  }

  static Message answer(Message command) {
    return SuccessfulAnswers.to("ns/orders", command);
  }

  /** " <pod>" for a per-pod command, else "". */
  static String podOf(Message m) {
    return m instanceof Command c && c.pod() != null ? " " + c.pod() : "";
  }
}
