package io.pxops.requestingest.admission;

import java.util.List;
import java.util.Optional;

/** What admission needs to read from the cluster: a seam, so the rules are tested on plain values. */
public interface ClusterView {

  /** A PerconaXtraDB: its current catalog version name. */
  record Database(String namespace, String name, String version) {
  }

  /** A PerconaXtraDBVersion catalog entry. */
  record CatalogEntry(String name, String version, boolean deprecated, List<String> allowlist,
      List<String> denylist) {
  }

  Optional<Database> database(String namespace, String name);

  Optional<CatalogEntry> catalogEntry(String name);

  /** Every catalog entry. */
  List<CatalogEntry> catalog();
}
