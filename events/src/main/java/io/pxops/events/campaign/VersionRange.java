package io.pxops.events.campaign;

/**
 * The current versions a campaign selects: {@code atLeast <= version < below}, either bound
 * optional.
 *
 * @param atLeast the lowest version selected, inclusive; null for no lower bound
 * @param below the first version not selected; null for no upper bound
 */
public record VersionRange(String atLeast, String below) {

  /** Every version. */
  public static final VersionRange ANY = new VersionRange(null, null);

  /**
   * Whether {@code version} is in the range. A version that does not parse is in no range: a
   * database whose version the campaign cannot read is not one it should update.
   *
   * @param version a database's current version
   * @return true if selected
   */
  public boolean contains(String version) {
    return Version.parse(version)
        .map(
            v ->
                (atLeast == null || v.compareTo(Version.of(atLeast)) >= 0)
                    && (below == null || v.compareTo(Version.of(below)) < 0))
        .orElse(false);
  }
}
