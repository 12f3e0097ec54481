package io.pxops.sandbox.kafka;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Unique topic names, group ids and transactional ids for tests that share one broker: {@code prefix-<run>-<n>},
 * where {@code run} is random per JVM (so runs against a long-lived external broker do not collide) and {@code n}
 * counts up within the JVM.
 */
public final class UniqueNames {

  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
  private static final String RUN = randomRunId();
  private static final AtomicLong COUNTER = new AtomicLong();

  private UniqueNames() {}

  /** A name no other call in any JVM is likely to return, e.g. {@code rpw-in-k3f9a2-7}. */
  public static String unique(String prefix) {
    if (prefix == null || !LEGAL_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix must be 1-200 of [a-zA-Z0-9._-]: '" + prefix + "'");
    }
    return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
  }

  private static String randomRunId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
