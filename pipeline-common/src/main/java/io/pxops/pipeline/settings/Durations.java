package io.pxops.pipeline.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of pxops' settings: Go's, as Kubernetes writes {@code metav1.Duration} and KubeDB's
 * {@code spec.timeout} — decimal numbers each with a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
 * {@code h}): {@code 500ms}, {@code 1s}, {@code 10m}, {@code 1h30m}, {@code 720h}; {@code 0} alone is zero. It was
 * chosen over ISO-8601 ({@code PT1S}) because an operator already writes it in every ops request's timeout.
 *
 * <p>ISO-8601 ({@code PT1S}, {@code P30D}) is still accepted as an undocumented alias by {@link #parse}: every setting
 * took it until now, so deployments, scripts and saved command lines that use it keep working; the README, the
 * defaults and the class comments use the Go form only.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** The longest text parsed: {@code 1h59m59.999999999s} is 18 characters; anything near 64 is not a duration. */
  public static final int MAX_LENGTH = 64;

  /** How a rule names the syntax. */
  public static final String SYNTAX = "a duration such as 500ms, 1s, 10m or 1h30m";

  private Durations() {
  }

  /**
   * A Go duration, strictly (no ISO-8601): what a Kubernetes object holds.
   *
   * @throws IllegalArgumentException when it is not a Go duration
   */
  public static Duration parseGo(String text) {
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

  /**
   * A setting's duration: the Go form, {@code 0}, or (alias, see the class comment) ISO-8601.
   *
   * @throws IllegalArgumentException when it is none of these
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.length() <= MAX_LENGTH && (t.startsWith("P") || t.startsWith("-P") || t.startsWith("p"))) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not " + SYNTAX, e);
      }
    }
    return parseGo(t);
  }

  /** The Go spelling, shortest first: {@code 500ms}, {@code 1s}, {@code 1m30s}, {@code 720h}; zero is {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder(d.isNegative() ? "-" : "");
    Duration a = d.abs();
    long hours = a.toHours();
    int minutes = a.toMinutesPart();
    int seconds = a.toSecondsPart();
    int nanos = a.toNanosPart();
    if (hours > 0) {
      b.append(hours).append('h');
    }
    if (minutes > 0) {
      b.append(minutes).append('m');
    }
    if (seconds > 0) {
      b.append(seconds).append('s');
    }
    if (nanos > 0) {
      if (nanos % 1_000_000 == 0) {
        b.append(nanos / 1_000_000).append("ms");
      } else if (nanos % 1_000 == 0) {
        b.append(nanos / 1_000).append("us");
      } else {
        b.append(nanos).append("ns");
      }
    }
    return b.toString();
  }
}
