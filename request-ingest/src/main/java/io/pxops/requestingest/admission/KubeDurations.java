package io.pxops.requestingest.admission;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Kubernetes {@code metav1.Duration} strings, which are Go durations: a sequence of decimal numbers each
 * with a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}), e.g. {@code 5m},
 * {@code 1h30m}, {@code 1.5h}, {@code 90s}. That is what {@code spec.timeout} of a KubeDB ops request holds.
 */
public final class KubeDurations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** The longest text parsed: {@code 1h59m59.999999999s} is 18 characters; anything near 64 is not a timeout. */
  public static final int MAX_LENGTH = 64;

  private KubeDurations() {
  }

  /**
   * The duration {@code text} stands for.
   *
   * @throws IllegalArgumentException when it is not a Go duration
   */
  public static Duration parse(String text) {
    // the length bound comes first: the pattern backtracks on a long run of digits, and a Kubernetes object's
    // spec.timeout has no length limit of its own
    if (text == null || text.length() > MAX_LENGTH || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("\"" + (text == null || text.length() <= MAX_LENGTH ? text
          : text.substring(0, MAX_LENGTH) + "…") + "\" is not a duration such as 90s, 5m or 1h30m");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
    }
    // "9999999999999999999s" is a Go duration in form but past the ~292 years a Duration of nanoseconds holds;
    // it once escaped as an ArithmeticException and answered HTTP 500
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is longer than any duration allowed");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /** The Go spelling of a duration, e.g. {@code 1h30m0s}, as KubeDB writes it back. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    return (s >= 3600 ? s / 3600 + "h" : "") + (s >= 60 ? (s % 3600) / 60 + "m" : "") + s % 60 + "s";
  }
}
