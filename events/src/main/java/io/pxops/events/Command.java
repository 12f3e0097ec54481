package io.pxops.events;

import java.time.Duration;

/**
 * An order to do one step, named in the imperative. Commands go to {@link Topics#COMMANDS}; only the
 * coordinator writes them, and exactly one runner answers each with a result {@link Event} whose
 * {@code causationId} is the command's {@code eventId}.
 *
 * <p>A command only says "look now": runners are level-based. They read the real state first and, if
 * the work is already done, just report it. A command may be delivered more than once.
 */
public sealed interface Command extends Message
    permits RunPreflight,
        VerifyCluster,
        PauseDatabase,
        UpdatePetSet,
        EvictPod,
        AwaitPodRunning,
        VerifyPod,
        UpdateDatabaseVersion,
        ResumeDatabase {

  /**
   * The step this command performs.
   *
   * @return the step, never {@code null}
   */
  Step step();

  /**
   * How long the step may go on without progress ({@code spec.timeout} of the ops request). A runner
   * that waits (for a pod, for a state transfer) reports {@link StepProgressed} when it sees
   * progress, which moves the coordinator's deadline; it need not wait longer than this after its
   * last progress report.
   *
   * @return the per-step timeout, positive
   */
  Duration timeout();

  /**
   * The pod of a per-pod step ({@link EvictPod}, {@link AwaitPodRunning}, {@link VerifyPod} name theirs as a record
   * component), for the {@link StepProgressed} and {@link StepFailed} that answer it.
   *
   * @return the pod, or {@code null} when the step is about the whole database
   */
  default String pod() {
    return null;
  }
}
