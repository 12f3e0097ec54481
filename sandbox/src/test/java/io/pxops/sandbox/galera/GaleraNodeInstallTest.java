package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed {@code mariadb-install-db} leaves no half-written data directory behind: one that did counted as
 * initialized, and the pod's next launch neither installed again nor could start, so the pod never came up.
 */
class GaleraNodeInstallTest {

  @TempDir
  Path dir;

  @Test
  void givenAnInstallThatFails_thenTheDataDirectoryIsEmptiedAndTheNextInstallSucceeds() throws Exception {
    // the server runs as mysql when the tests run as root: it must reach the node's directory
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    MariaDbBuilds builds = MariaDbBuilds.discover();
    String build = builds.versions().get(0);
    GaleraNode node = new GaleraNode(new GaleraNodeConfig("install-test", "n0", "127.0.0.1", List.of("127.0.0.1"),
        dir.resolve("n0"), "secret"), builds);
    node.prepare();
    // a plain file where the install writes its system tables' directory: the install cannot complete
    Path blocker = node.dataDir().resolve("mysql");
    Files.writeString(blocker, "not a directory");
    Files.writeString(node.dataDir().resolve("half-written"), "x");
    assertThat(node.initialized()).isFalse();

    assertThatThrownBy(() -> node.installDb(build)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mariadb-install-db failed for");
    try (var left = Files.list(node.dataDir())) {
      assertThat(left).as("nothing left of the failed install").isEmpty();
    }

    node.installDb(build);
    assertThat(node.initialized()).isTrue();
  }
}
