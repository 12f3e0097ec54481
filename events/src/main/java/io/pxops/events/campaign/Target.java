package io.pxops.events.campaign;

/** The version a campaign updates its databases to. */
public sealed interface Target {

  /**
   * One version for every database.
   *
   * @param version the target version
   */
  record Exact(String version) implements Target {}

  /**
   * Per database, the newest version the catalog allows from its current version (Percona's
   * operator's {@code Latest} policy, with KubeDB's update constraints).
   */
  record NewestAllowed() implements Target {}
}
