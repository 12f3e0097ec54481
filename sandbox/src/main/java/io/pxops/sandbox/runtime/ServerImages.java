package io.pxops.sandbox.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How container images map onto local MariaDB server builds. The local world stands a MariaDB+Galera build in
 * for each Percona XtraDB Cluster image: the catalog entry for build {@code 10.11.19} names the image
 * {@code local.pxops.io/mariadb-galera:10.11.19}, and a pod started from that image runs that build. An image
 * that names no installed build cannot start, as an unpullable image cannot in a real cluster.
 */
public final class ServerImages {

  /** The repository part of every local server image. */
  public static final String REPOSITORY = "local.pxops.io/mariadb-galera";

  private static final Pattern LOCAL = Pattern.compile(Pattern.quote(REPOSITORY) + ":([0-9A-Za-z._-]+)");

  private ServerImages() {
  }

  /** The image that stands for a local server build, e.g. {@code 10.11.19}. */
  public static String imageFor(String buildVersion) {
    return REPOSITORY + ":" + buildVersion;
  }

  /** The build version an image names, if it is a local server image; empty for any other image. */
  public static Optional<String> buildVersionOf(String image) {
    if (image == null) {
      return Optional.empty();
    }
    Matcher m = LOCAL.matcher(image);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
