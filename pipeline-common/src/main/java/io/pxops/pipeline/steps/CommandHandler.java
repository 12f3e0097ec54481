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
}
