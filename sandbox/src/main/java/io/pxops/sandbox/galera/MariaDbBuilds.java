package io.pxops.sandbox.galera;

import io.pxops.sandbox.runtime.ServerImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The MariaDB server builds installed side by side for the local world, each unpacked from Debian's packages
 * under {@code <root>/<version>/usr}, with the list of versions in {@code <root>/versions} (one a line).
 *
 * <p>The root is {@code $PXOPS_MARIADB_BUILDS}, or {@value #DEFAULT_ROOT} when that is not set; the installer
 * {@code scripts/install-local-world.sh} fills it with the two newest builds Debian offers. When Debian offers
 * only one build, {@link #older()} and {@link #newer()} are the same build and a "version update" between them is
 * an image refresh on the same server binary ({@link #singleBuild()} says so).
 */
public final class MariaDbBuilds {

  /** The environment variable that overrides {@link #DEFAULT_ROOT}. */
  public static final String ENV = "PXOPS_MARIADB_BUILDS";

  /** Where the installer unpacks the builds by default. */
  public static final String DEFAULT_ROOT = "/opt/pxops/mariadb";

  private static final String INSTALL_HINT = "run scripts/install-local-world.sh";

  private final Path root;
  private final List<String> versions;

  private MariaDbBuilds(Path root, List<String> versions) {
    this.root = root;
    this.versions = List.copyOf(versions);
  }

  /** The builds under {@code $PXOPS_MARIADB_BUILDS}, or under {@value #DEFAULT_ROOT}. */
  public static MariaDbBuilds discover() {
    String env = System.getenv(ENV);
    return at(Path.of(env == null || env.isBlank() ? DEFAULT_ROOT : env));
  }

  /**
   * The builds under {@code root}.
   *
   * @throws IllegalStateException naming the installer when no build is installed there, or when the versions
   *     file names a build whose server binary is missing
   */
  public static MariaDbBuilds at(Path root) {
    Path list = root.resolve("versions");
    if (!Files.isRegularFile(list)) {
      throw new IllegalStateException("No MariaDB server build is installed under " + root + " (no file " + list
          + "): " + INSTALL_HINT);
    }
    List<String> versions = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(list)) {
        String v = line.strip();
        if (!v.isEmpty() && !versions.contains(v)) {
          versions.add(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + list, e);
    }
    if (versions.isEmpty()) {
      throw new IllegalStateException("No MariaDB server build is listed in " + list + ": " + INSTALL_HINT);
    }
    for (String v : versions) {
      Path server = root.resolve(v).resolve("usr/sbin/mariadbd");
      if (!Files.isExecutable(server)) {
        throw new IllegalStateException("MariaDB build " + v + " is listed in " + list + " but " + server
            + " is missing: " + INSTALL_HINT);
      }
    }
    versions.sort(VERSION_ORDER);
    return new MariaDbBuilds(root, versions);
  }

  /** The directory the builds are installed under. */
  public Path root() {
    return root;
  }

  /** The installed build versions, ascending (e.g. {@code [10.11.18, 10.11.19]}). */
  public List<String> versions() {
    return versions;
  }

  /** The oldest installed build. */
  public String older() {
    return versions.get(0);
  }

  /** The newest installed build; the same as {@link #older()} when only one build is installed. */
  public String newer() {
    return versions.get(versions.size() - 1);
  }

  /** True when only one build is installed: an update from {@link #older()} to {@link #newer()} is an image refresh. */
  public boolean singleBuild() {
    return versions.size() == 1;
  }

  /** True when {@code version} is installed. */
  public boolean has(String version) {
    return versions.contains(version);
  }

  /**
   * The {@code usr} directory of a build: the server's {@code --basedir}, holding {@code sbin/mariadbd},
   * {@code bin/} (client, SST scripts), {@code lib/mysql/plugin} and {@code share/mysql}.
   *
   * @throws IllegalArgumentException when the build is not installed
   */
  public Path basedir(String version) {
    if (!has(version)) {
      throw new IllegalArgumentException("MariaDB build " + version + " is not installed under " + root
          + " (installed: " + String.join(", ", versions) + ")");
    }
    return root.resolve(version).resolve("usr");
  }

  /** The installed build an image names ({@link ServerImages}), or empty when it names none. */
  public Optional<String> forImage(String image) {
    return ServerImages.buildVersionOf(image).filter(this::has);
  }

  /** The local image that stands for an installed build. */
  public String imageFor(String version) {
    basedir(version);
    return ServerImages.imageFor(version);
  }

  @Override
  public String toString() {
    return "MariaDbBuilds" + versions + " under " + root;
  }

  /** Orders versions by their numeric parts ({@code 10.11.9 < 10.11.18}), then by text. */
  static final Comparator<String> VERSION_ORDER = (a, b) -> {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      if (x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")) {
        c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  };
}
