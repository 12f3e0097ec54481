package io.pxops.requestingest.dryrun;

import io.pxops.pipeline.settings.PxopsSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What the ingest's dry runs read besides Kubernetes, read once at start.
 *
 * @param measurementsUrl where the step durations pxops measured before are read for estimates, and the requests
 *     already holding or waiting for a database (an update's dry run names them): the status projector's base URL,
 *     {@code PXOPS_STATUS_URL} when it is set (deploy/ and docker-compose set it); default
 *     none, and then a dry run says "no measurements: no estimate". Not the setting's default
 *     ({@code http://localhost:8082}, kept for the links the door answers with): an estimate must come from a
 *     projector someone pointed the ingest at, never from whatever happens to listen on localhost. Must be an
 *     http or https URL with a host.
 */
public record DryRunConfig(Optional<URI> measurementsUrl) {

  /** Checks the URL. */
  public DryRunConfig {
    if (measurementsUrl == null) {
      measurementsUrl = Optional.empty();
    }
    measurementsUrl.ifPresent(u -> {
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException(PxopsSettings.STATUS_URL.name() + " must be an http(s) URL with a host, "
            + "such as http://pxops-status-projector:8082, but was \"" + u + "\"");
      }
    });
  }

  /** No measurements: every dry run says there is no estimate. */
  public static DryRunConfig none() {
    return new DryRunConfig(Optional.empty());
  }

  /**
   * Reads {@code PXOPS_STATUS_URL} if it is set.
   *
   * @param env the merged settings (environment and flags)
   * @return the configuration
   * @throws IllegalArgumentException naming the setting and the rule
   */
  public static DryRunConfig fromEnv(Map<String, String> env) {
    String set = env.get(PxopsSettings.STATUS_URL.name());
    if (set == null || set.isBlank()) {
      return none();
    }
    String url = set.trim().replaceAll("/+$", "");
    try {
      return new DryRunConfig(Optional.of(URI.create(url)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PxopsSettings.STATUS_URL.name() + " must be an http(s) URL with a host, "
          + "but was \"" + set + "\": " + e.getMessage(), e);
    }
  }
}
