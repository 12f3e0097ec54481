package io.pxops.sandbox.galera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Short, private-but-traversable base directories for node directories and unix sockets. */
final class BaseDirs {

  private BaseDirs() {
  }

  /** The default parent: {@code java.io.tmpdir} ({@code /tmp} on Linux), short enough for unix socket paths. */
  static Path defaultParent() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Creates {@code <parent>/pxops-<random>}, readable and traversable by the {@code mysql} user the servers run as
   * (a temporary directory is created {@code rwx------}).
   */
  static Path create(Path parent) {
    try {
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent, "pxops-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a base directory under " + parent, e);
    }
  }

  /** Deletes a directory tree; what cannot be deleted is left behind silently. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a socket or file still held by a process that outlived close(): leave it
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // the tree changed while walking it: nothing more to do
    }
  }
}
