package io.pxops.steprunners.coordinator;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.ClusterVerified;
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

/** How runners and the verifier answer each command when all goes well: a 3-pod database, 10.11.18 to 10.11.19. */
final class HappyRunners {

  static final String OLD = "local.pxops.io/mariadb-galera:10.11.18";
  static final String NEW = "local.pxops.io/mariadb-galera:10.11.19";

  private HappyRunners() {
  }

  static Message answer(Message command) {
    List<PodInfo> pods = List.of(new PodInfo("orders-0", 0, true, OLD), new PodInfo("orders-1", 1, true, OLD),
        new PodInfo("orders-2", 2, true, OLD));
    if (command instanceof RunPreflight) {
      return new PreflightPassed("10.11.18", 3, pods);
    } else if (command instanceof VerifyCluster) {
      return new ClusterVerified(List.of());
    } else if (command instanceof PauseDatabase) {
      return new DatabasePaused();
    } else if (command instanceof UpdatePetSet) {
      return new PetSetUpdated(NEW, pods);
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
    throw new IllegalArgumentException("no answer for " + command);
  }

  /** " <pod>" for a per-pod command, else "". */
  static String podOf(Message m) {
    if (m instanceof EvictPod e) {
      return " " + e.pod();
    }
    if (m instanceof AwaitPodRunning a) {
      return " " + a.pod();
    }
    return m instanceof VerifyPod v ? " " + v.pod() : "";
  }
}
