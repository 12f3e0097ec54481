package io.pxops.events.campaign;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database version as the catalog names them ({@code 8.0.40}, {@code 10.11.19}, {@code v8.4}),
 * ordered numerically part by part ({@code 8.4} is {@code 8.4.0}; {@code 10.6} is after {@code
 * 8.4}, which a string order gets wrong). A pre-release suffix ({@code 8.4.0-rc1}) orders before
 * the release, as in semver. The events module has no semver library (it depends on the JDK and
 * Jackson only), and campaigns need only this ordering.
 *
 * @param parts the numeric parts, up to four
 * @param preRelease the suffix after {@code -}, or empty
 */
public record Version(int[] parts, String preRelease) implements Comparable<Version> {

  private static final Pattern SYNTAX =
      Pattern.compile("v?(\\d{1,9}(?:\\.\\d{1,9}){0,3})(?:-([0-9A-Za-z.-]{1,64}))?(?:\\+[0-9A-Za-z.-]{1,64})?");

  /**
   * Parses a version.
   *
   * @param text the version text
   * @return the version, or empty if {@code text} is not one
   */
  public static Optional<Version> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int[] parts = Arrays.stream(m.group(1).split("\\.")).mapToInt(Integer::parseInt).toArray();
    return Optional.of(new Version(parts, m.group(2) == null ? "" : m.group(2)));
  }

  /**
   * Parses a version that validation has already accepted.
   *
   * @param text the version text
   * @return the version
   * @throws IllegalArgumentException if {@code text} is not a version
   */
  public static Version of(String text) {
    return parse(text)
        .orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" is not a version"));
  }

  /** Copies the parts. */
  public Version {
    parts = parts.clone();
  }

  /**
   * The numeric parts.
   *
   * @return a copy, so a version stays immutable
   */
  @Override
  public int[] parts() {
    return parts.clone();
  }

  @Override
  public int compareTo(Version other) {
    for (int i = 0; i < 4; i++) {
      int c = Integer.compare(part(i), other.part(i));
      if (c != 0) {
        return c;
      }
    }
    if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
    }
    return preRelease.compareTo(other.preRelease);
  }

  private int part(int i) {
    return i < parts.length ? parts[i] : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    int[] trimmed = parts;
    int n = trimmed.length;
    while (n > 0 && trimmed[n - 1] == 0) {
      n--;
    }
    return Arrays.hashCode(Arrays.copyOf(trimmed, n)) * 31 + preRelease.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      s.append(i == 0 ? "" : ".").append(parts[i]);
    }
    return preRelease.isEmpty() ? s.toString() : s + "-" + preRelease;
  }
}
