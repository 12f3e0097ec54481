package io.pxops.pipeline.steps;

import io.pxops.events.Command;
import io.pxops.events.Envelope;

/**
 * The work of one service that answers commands: the step runners and the verifier each implement it, and
 * {@link CommandService} runs it on Kafka.
 */
public interface CommandHandler {

  /**
   * Whether this service answers the command; commands of other services on the same topic are left alone.
   *
   * @param command a command read from {@code pxops.commands}
   * @return true when this handler answers it
   */
  boolean handles(Command command);

  /**
   * One look at the world for a command this handler {@link #handles}: level-based, so it may be called again for
   * the same command (a redelivery, a re-check) and must then report work already done rather than redo it.
   *
   * @param command the command's envelope
   * @return the result, or "not yet"
   * @throws RuntimeException any failure; {@link ErrorClassifier} decides what it means
   */
  Attempt attempt(Envelope command);

  /**
   * A command of another service went by: a hint of what this service will be asked next (the verifier sees an
   * update's RunPreflight just before its VerifyCluster). Called on the command loop's thread, so it must return at
   * once (hand any work to a thread of its own) and never throw; what it does may only prepare, never act: the
   * command this service answers still makes every check itself. By default nothing.
   *
   * @param command the envelope of a command this handler does not {@link #handles answer}
   */
  default void foresee(Envelope command) {
  }
}
