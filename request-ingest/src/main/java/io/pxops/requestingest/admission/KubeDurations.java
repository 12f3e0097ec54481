package io.pxops.requestingest.admission;

import java.time.Duration;

/**
 * Parses Kubernetes {@code metav1.Duration} strings, which are Go durations: a sequence of decimal numbers each
 * with a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}), e.g. {@code 5m},
 * {@code 1h30m}, {@code 1.5h}, {@code 90s}. That is what {@code spec.timeout} of a KubeDB ops request holds, and
 * the syntax of pxops' own duration settings: one parser for both ({@code Durations.parseGo}), strict here (no
 * ISO-8601 alias: KubeDB would not read it).
 */
public final class KubeDurations {

  /** The longest text parsed: {@code 1h59m59.999999999s} is 18 characters; anything near 64 is not a timeout. */
  public static final int MAX_LENGTH = io.pxops.pipeline.settings.Durations.MAX_LENGTH;

  private KubeDurations() {
  }

  /**
   * The duration {@code text} stands for.
   *
   * @throws IllegalArgumentException when it is not a Go duration
   */
  public static Duration parse(String text) {
    return io.pxops.pipeline.settings.Durations.parseGo(text);
  }

  /** The Go spelling of a duration, e.g. {@code 1h30m0s}, as KubeDB writes it back. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    return (s >= 3600 ? s / 3600 + "h" : "") + (s >= 60 ? (s % 3600) / 60 + "m" : "") + s % 60 + "s";
  }
}
