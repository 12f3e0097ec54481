package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.sandbox.runtime.ServerImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MariaDbBuildsTest {

  @Test
  void discoversTheInstalledBuildsInAscendingOrder() {
    MariaDbBuilds builds = MariaDbBuilds.discover();

    assertThat(builds.versions()).isNotEmpty().isSortedAccordingTo(MariaDbBuilds.VERSION_ORDER);
    assertThat(builds.older()).isEqualTo(builds.versions().get(0));
    assertThat(builds.newer()).isEqualTo(builds.versions().get(builds.versions().size() - 1));
    assertThat(builds.singleBuild()).isEqualTo(builds.older().equals(builds.newer()));
    for (String v : builds.versions()) {
      assertThat(builds.basedir(v).resolve("sbin/mariadbd")).isExecutable();
      assertThat(builds.forImage(ServerImages.imageFor(v))).contains(v);
    }
  }

  @Test
  void imagesThatNameNoInstalledBuildMapToNothing() {
    MariaDbBuilds builds = MariaDbBuilds.discover();

    assertThat(builds.forImage(ServerImages.imageFor("0.0.1"))).isEmpty();
    assertThat(builds.forImage("percona/percona-xtradb-cluster:8.0.36")).isEmpty();
    assertThat(builds.forImage(null)).isEmpty();
    assertThatThrownBy(() -> builds.basedir("0.0.1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.1").hasMessageContaining(builds.newer());
  }

  @Test
  void nothingInstalledSaysHowToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> MariaDbBuilds.at(empty)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run scripts/install-local-world.sh");
  }

  @Test
  void aListedBuildWithoutServerBinaryIsReported(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("versions"), "10.11.99\n");

    assertThatThrownBy(() -> MariaDbBuilds.at(root)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("10.11.99").hasMessageContaining("run scripts/install-local-world.sh");
  }

  @Test
  void withOneBuildOlderAndNewerAreTheSameBuild(@TempDir Path root) throws Exception {
    MariaDbBuilds installed = MariaDbBuilds.discover();
    String only = installed.newer();
    Files.createSymbolicLink(root.resolve(only), installed.root().resolve(only));
    Files.writeString(root.resolve("versions"), only + "\n");

    MariaDbBuilds builds = MariaDbBuilds.at(root);

    assertThat(builds.versions()).containsExactly(only);
    assertThat(builds.older()).isEqualTo(only).isEqualTo(builds.newer());
    assertThat(builds.singleBuild()).isTrue();
    Files.delete(root.resolve(only)); // the link only, never the installed build
  }

  @Test
  void versionsOrderNumerically() {
    assertThat(MariaDbBuilds.VERSION_ORDER.compare("10.11.9", "10.11.18")).isNegative();
    assertThat(MariaDbBuilds.VERSION_ORDER.compare("11.4.2", "10.11.18")).isPositive();
    assertThat(MariaDbBuilds.VERSION_ORDER.compare("10.11.18", "10.11.18")).isZero();
  }
}
