package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.sandbox.runtime.PodIdentity;
import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import io.pxops.sandbox.runtime.ServerImages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GaleraPodRuntimeIT {

  private final MariaDbBuilds builds = MariaDbBuilds.discover();
  private GaleraPodRuntime runtime;

  @BeforeEach
  void createRuntime() {
    runtime = GaleraPodRuntime.withTemporaryDir(builds);
  }

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private static PodIdentity pod(String database, List<String> ips, int ordinal) {
    return new PodIdentity("it", database, database + "-" + ordinal, ordinal, ips.get(ordinal), ips, "secret");
  }

  @Test
  void aPodWhoseImageNamesNoBuildIsStuckInImagePullBackOff() {
    PodIdentity pod = pod("nobuild", LoopbackAddresses.freeBlock(1), 0);
    String image = ServerImages.imageFor("0.0.1");

    runtime.ensureRunning(pod, image);

    PodProcessState state = runtime.state(pod);
    assertThat(state.phase()).isEqualTo(Phase.STUCK);
    assertThat(state.reason()).isEqualTo("ImagePullBackOff");
    assertThat(state.message()).contains(image);
    assertThat(runtime.node(pod)).isEmpty();

    runtime.ensureRunning(pod, "percona/percona-xtradb-cluster:8.0.36");
    assertThat(runtime.state(pod).reason()).isEqualTo("ImagePullBackOff");
    assertThat(runtime.state(pod).message()).contains("percona/percona-xtradb-cluster:8.0.36");
  }

  @Test
  void aProcessThatExitsRightAfterEachStartIsStuckInCrashLoopBackOff() throws Exception {
    List<String> ips = LoopbackAddresses.freeBlock(1);
    PodIdentity pod = pod("crashing", ips, 0);
    // a real reason to crash: someone else holds the pod's SQL port, so mariadbd cannot listen and aborts
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName(pod.podIp()), GaleraNode.SQL_PORT));

      runtime.ensureRunning(pod, ServerImages.imageFor(builds.older()));

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> runtime.state(pod).phase() == Phase.STUCK);
      PodProcessState state = runtime.state(pod);
      assertThat(state.reason()).isEqualTo("CrashLoopBackOff");
      assertThat(state.message()).contains("exited with code").contains("2 times in a row")
          .contains("Address already in use");
      assertThat(runtime.node(pod).orElseThrow().starts()).hasSize(2);
    }
  }
}
