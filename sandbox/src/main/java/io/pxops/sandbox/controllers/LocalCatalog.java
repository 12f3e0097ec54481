package io.pxops.sandbox.controllers;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PerconaXtraDBVersionSpec;
import io.pxops.kubedb.PerconaXtraDBVersionSpec.ImageSpec;
import io.pxops.kubedb.PerconaXtraDBVersionSpec.UpdateConstraints;
import io.pxops.sandbox.runtime.ServerImages;
import java.util.ArrayList;
import java.util.List;

/**
 * The local version catalog: one {@code PerconaXtraDBVersion} per local server build.
 *
 * <p>For build {@code v} = {@code <major>.<minor>.<patch>} the entry is named {@code v}, has {@code spec.version =
 * v}, {@code spec.db.image = } {@link ServerImages#imageFor(String) imageFor(v)}, and update constraints
 * <ul>
 *   <li>{@code allowlist: [">= v, < <major>.<minor+1>.0"]}: any build of the same minor series that is the same or
 *       newer (patch updates, and the same-version image refresh), never a jump to another series — a Galera
 *       rolling update mixes versions for a while, which the server vendors support within a series;</li>
 *   <li>{@code denylist: ["< v"]}: no downgrade, which KubeDB does not support for PerconaXtraDB (the denylist
 *       repeats what the allowlist implies, in the style of KubeDB's own catalogs, so that the rule is named when a
 *       request is rejected).</li>
 * </ul>
 */
public final class LocalCatalog {

  private LocalCatalog() {
  }

  /** The catalog entries for {@code buildVersions} (ascending, e.g. {@code ["10.11.17", "10.11.18"]}). */
  public static List<PerconaXtraDBVersion> entriesFor(List<String> buildVersions) {
    List<PerconaXtraDBVersion> entries = new ArrayList<>();
    for (String v : buildVersions) {
      entries.add(entryFor(v));
    }
    return entries;
  }

  /** The catalog entry for one build. */
  public static PerconaXtraDBVersion entryFor(String buildVersion) {
    PerconaXtraDBVersionSpec spec = new PerconaXtraDBVersionSpec();
    spec.setVersion(buildVersion);
    spec.setDb(new ImageSpec(ServerImages.imageFor(buildVersion)));
    spec.setDeprecated(false);
    spec.setUpdateConstraints(new UpdateConstraints(
        List.of(">= " + buildVersion + ", < " + nextMinor(buildVersion)),
        List.of("< " + buildVersion)));
    PerconaXtraDBVersion entry = new PerconaXtraDBVersion();
    entry.setMetadata(new ObjectMetaBuilder().withName(buildVersion).build());
    entry.setSpec(spec);
    return entry;
  }

  /** Creates (or replaces) the entries for {@code buildVersions} in the cluster; returns them as stored. */
  public static List<PerconaXtraDBVersion> seed(KubernetesClient client, List<String> buildVersions) {
    List<PerconaXtraDBVersion> stored = new ArrayList<>();
    for (PerconaXtraDBVersion entry : entriesFor(buildVersions)) {
      stored.add(client.resources(PerconaXtraDBVersion.class).resource(entry).createOr(NonDeletingOperation::update));
    }
    return stored;
  }

  /** {@code 10.11.18 -> 10.12.0}. */
  static String nextMinor(String version) {
    String[] parts = version.split("[.+-]");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a <major>.<minor>.<patch> version: " + version);
    }
    try {
      return Integer.parseInt(parts[0]) + "." + (Integer.parseInt(parts[1]) + 1) + ".0";
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a <major>.<minor>.<patch> version: " + version, e);
    }
  }
}
