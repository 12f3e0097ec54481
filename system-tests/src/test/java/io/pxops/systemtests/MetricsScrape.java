package io.pxops.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * One {@code GET /metrics} of a service, in the Prometheus text format, and sums over its samples. A reader of the
 * format's plain lines ({@code name{a="x",b="y"} value}); label values in pxops' meters never hold quotes or commas.
 */
record MetricsScrape(String service, String text) {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Scrapes {@code baseUrl + "/metrics"}; fails on anything but 200. */
  static MetricsScrape of(String service, String baseUrl) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(service + " /metrics answered " + r.statusCode() + ": " + r.body());
    }
    return new MetricsScrape(service, r.body());
  }

  /**
   * The sum of the samples named {@code name} whose labels include every {@code label=value} pair given.
   *
   * @param labels pairs: label, value, label, value, ...
   */
  double sum(String name, String... labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The sample names of this scrape. */
  Set<String> names() {
    return DashboardQueries.exposedNames(text);
  }
}
