package io.pxops.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles of a set of durations, exact (the samples are kept and sorted). */
record Stats(int count, double p50Ms, double p99Ms, double maxMs, double meanMs) {

  static Stats ofNanos(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return new Stats(0, 0, 0, 0, 0);
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new Stats(sorted.size(), ms(at(sorted, 0.50)), ms(at(sorted, 0.99)), ms(sorted.get(sorted.size() - 1)),
        ms((long) (sum / sorted.size())));
  }

  /** The median of some figures (the upper one of an even count); 0 when there are none. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long at(List<Long> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("p50Ms", p50Ms);
    m.put("p99Ms", p99Ms);
    m.put("maxMs", maxMs);
    m.put("meanMs", meanMs);
    return m;
  }

  @Override
  public String toString() {
    return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)", p50Ms, p99Ms, maxMs, count);
  }
}
