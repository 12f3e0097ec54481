package io.pxops.events;

/**
 * The one acceptance rule for a step's result: it answers the command the coordinator awaits when its {@code
 * causationId} is exactly that command's id. The coordinator ({@code UpdatePlan}) decides with it and the status
 * projector ({@code StatusFold}, {@code DatabaseStatusFold}) replays that decision with it; the copies had drifted
 * ({@code equals} against {@code equalsIgnoreCase}), so a result whose id differed only in case moved the status
 * on while the coordinator ignored it: the status showed a step done that the plan never left.
 *
 * <p>Exact comparison, because ids are opaque strings the coordinator mints; nothing upstream normalises them.
 */
public final class ResultAcceptance {

  private ResultAcceptance() {
  }

  /**
   * Whether a message caused by {@code causationId} answers the awaited command.
   *
   * @param awaitedCommandId the id of the command awaited, or {@code null} when none is
   * @param causationId the result's {@code causationId}, or {@code null}
   * @return true only when both are present and equal
   */
  public static boolean answers(String awaitedCommandId, String causationId) {
    return awaitedCommandId != null && causationId != null && awaitedCommandId.equals(causationId);
  }
}
