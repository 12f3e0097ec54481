package io.pxops.sandbox.galera;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One start of a node's process, as the node itself saw it: the figures behind "restart to Synced".
 *
 * @param build the server build started
 * @param bootstrap whether the node bootstrapped a new primary component ({@code --wsrep-new-cluster})
 * @param startPosition the {@code --wsrep-start-position} recovered after an unclean stop, or null
 * @param requestedAt when the start was asked for (for a runtime, the {@code ensureRunning} call; this includes any
 *     wait until the survivors evicted the node's previous incarnation)
 * @param launchedAt when the mariadbd process was spawned
 * @param pid the process id
 * @param syncedAt when a status query first saw {@code Synced} with {@code wsrep_ready=ON}, or null (its resolution
 *     is the polling interval, 100 to 200 ms)
 * @param transfer how the node got its state, read from its error log once Synced
 */
public record StartRecord(String build, boolean bootstrap, String startPosition, Instant requestedAt,
    Instant launchedAt, long pid, Instant syncedAt, Transfer transfer) {

  /** How a node got the cluster's state when it started. */
  public enum Transfer {
    /** Bootstrapped, or already up to date: no state transfer. */
    NONE,
    /** Incremental state transfer: only the missing write-sets, from a donor's gcache. */
    IST,
    /** Full state transfer: a copy of a donor's whole data directory (rsync). */
    SST,
    /** Not known (yet). */
    UNKNOWN
  }

  /** From the start request to Synced. */
  public Optional<Duration> requestToSynced() {
    return syncedAt == null ? Optional.empty() : Optional.of(Duration.between(requestedAt, syncedAt));
  }

  /** From spawning the process to Synced. */
  public Optional<Duration> launchToSynced() {
    return syncedAt == null ? Optional.empty() : Optional.of(Duration.between(launchedAt, syncedAt));
  }

  StartRecord synced(Instant at, Transfer how) {
    return new StartRecord(build, bootstrap, startPosition, requestedAt, launchedAt, pid, at, how);
  }

  @Override
  public String toString() {
    return "start[build=" + build + (bootstrap ? ", bootstrap" : "")
        + (startPosition != null ? ", recovered " + startPosition : "") + ", pid=" + pid
        + requestToSynced().map(d -> ", request->Synced " + d.toMillis() + " ms").orElse(", not synced")
        + launchToSynced().map(d -> ", launch->Synced " + d.toMillis() + " ms").orElse("")
        + (transfer != null ? ", " + transfer : "") + "]";
  }
}
