package io.pxops.sandbox.world;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.EvictPod;
import io.pxops.events.Message;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodInfo;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import java.util.List;

/**
 * How the step runners and the verifier answer each command when all goes well — a 3-pod database going from
 * 10.11.18 to 10.11.19 — for tests of the coordinator and for benchmarks that measure the pipeline without the
 * work of the steps.
 */
public final class SuccessfulAnswers {

  public static final String OLD_IMAGE = "local.pxops.io/mariadb-galera:10.11.18";
  public static final String NEW_IMAGE = "local.pxops.io/mariadb-galera:10.11.19";

  private SuccessfulAnswers() {
  }

  /**
   * The successful result of {@code command} for {@code database}.
   *
   * @param database {@code namespace/name}; its pods are {@code name-0..2}
   * @param command the command
   * @return the result event
   */
  public static Message to(String database, Message command) {
    String db = database.substring(database.indexOf('/') + 1);
    List<PodInfo> pods = List.of(new PodInfo(db + "-0", 0, true, OLD_IMAGE), new PodInfo(db + "-1", 1, true, OLD_IMAGE),
        new PodInfo(db + "-2", 2, true, OLD_IMAGE));
    if (command instanceof RunPreflight) {
      return new PreflightPassed("10.11.18", 3, pods);
    } else if (command instanceof VerifyCluster) {
      return new ClusterVerified(List.of());
    } else if (command instanceof PauseDatabase) {
      return new DatabasePaused();
    } else if (command instanceof UpdatePetSet) {
      return new PetSetUpdated(NEW_IMAGE, pods);
    } else if (command instanceof EvictPod e) {
      return new PodEvicted(e.pod());
    } else if (command instanceof AwaitPodRunning a) {
      return new PodRunning(a.pod(), a.image());
    } else if (command instanceof VerifyPod v) {
      return new PodVerified(v.pod(), List.of());
    } else if (command instanceof UpdateDatabaseVersion u) {
      return new DatabaseVersionUpdated(u.version());
    } else if (command instanceof ResumeDatabase) {
      return new DatabaseResumed();
    }
    throw new IllegalArgumentException("no answer for " + (command instanceof Command c ? c.step() : command));
  }
}
