package io.pxops.statusprojector;

import io.pxops.pipeline.settings.PxopsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The dashboard's one setting, declared in {@link PxopsSettings#DASHBOARD_INGEST_URL} and read once at start like
 * {@link ProjectorConfig}; a bad value stops the start with a message naming the variable and the rule.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #INGEST_URL}</td><td>{@value #DEFAULT_INGEST_URL}</td>
 *       <td>the request ingest's HTTP door, {@code http(s)://host:port}: the dashboard's Replay and Cancel are sent
 *       there with the browser user's own bearer token, so the door authorizes them exactly as any other call</td></tr>
 * </table>
 *
 * @param ingestUrl the ingest's base URL, without a trailing slash
 */
public record DashboardConfig(URI ingestUrl) {

  /** The ingest's HTTP door. */
  public static final String INGEST_URL = "PXOPS_DASHBOARD_INGEST_URL";

  /** The ingest's default address: its default port on the same host. */
  public static final String DEFAULT_INGEST_URL = "http://localhost:8081";

  /** Checks the URL: absolute http(s), a host, no query or fragment. */
  public DashboardConfig {
    if (ingestUrl == null || ingestUrl.getScheme() == null
        || !(ingestUrl.getScheme().equals("http") || ingestUrl.getScheme().equals("https"))
        || ingestUrl.getHost() == null || ingestUrl.getQuery() != null || ingestUrl.getFragment() != null) {
      throw new IllegalArgumentException(INGEST_URL + " must be an http(s)://host[:port][/path] URL without query"
          + " or fragment but was \"" + ingestUrl + "\"");
    }
    String s = ingestUrl.toString();
    if (s.endsWith("/")) {
      ingestUrl = URI.create(s.substring(0, s.length() - 1));
    }
  }

  /** The defaults: the ingest on this host's default port. */
  public static DashboardConfig defaults() {
    return new DashboardConfig(URI.create(DEFAULT_INGEST_URL));
  }

  /**
   * Reads the setting.
   *
   * @param env the environment (or the flags merged into it)
   * @return the configuration
   * @throws IllegalArgumentException naming the variable and the rule
   */
  public static DashboardConfig fromEnv(Map<String, String> env) {
    String value = PxopsSettings.DASHBOARD_INGEST_URL.read(env).trim();
    try {
      return new DashboardConfig(new URI(value));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(INGEST_URL + " must be an http(s)://host[:port][/path] URL but was \""
          + value + "\": " + e.getReason());
    }
  }
}
