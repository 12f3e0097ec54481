package io.pxops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dashboard with {@code n} requests in the projector's store, in minutes: the real projector (its own process,
 * the production heap), the real broker, no other service. The coordinator is started only to create the topics and
 * stopped at once, so nothing but the synthetic histories ({@link DashboardHistories}) reaches the lifecycle topic;
 * they are produced straight to {@code pxops.events}, which the projector folds as it would the coordinator's.
 *
 * <ul>
 *   <li><b>Pages.</b> Each view (fleet, requests), unfiltered and filtered (one namespace and a phase), first and
 *       deep (the last full) page of 50: the time of the HTTP call on this machine's loopback (the server's time
 *       plus well under a millisecond), median and p99 of {@code samples} calls, and the body's bytes. No status
 *       changes meanwhile: a person reading pages.
 *   <li><b>Event to page.</b> With the SSE stream open as the page opens it, a new request's admission is produced
 *       on {@code pxops.events} and timed until the stream delivers its status; then the fleet's first page is asked
 *       at once, as the page does (after its 300 ms debounce), and timed too: the page after a change. Median and p99
 *       over {@code events}, one at a time.
 *   <li><b>Event to the screen.</b> The same in headless Chromium ({@link DashboardBrowserLatency}): the time until
 *       the page shows the new request, over {@code browserEvents}.
 *   <li><b>Memory.</b> The projector's heap in use (its {@code /metrics}, after {@code jcmd GC.run} when jcmd is
 *       there) and its resident set.
 * </ul>
 */
final class DashboardBenchmark {

  private static final int PAGE_SIZE = 50;
  private static final Duration FILL_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;
  private final int samples;

  private DashboardBenchmark(String base, String token, int samples) {
    this.base = base;
    this.token = token;
    this.samples = samples;
  }

  static Map<String, Object> run(Path dir, int n, int events, int samples, int browserEvents, PrintStream out)
      throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("requests", n);
    try (LocalWorld world = LocalWorld.builder().namespace("dash").pods(LocalWorld.Pods.SIMULATED).start();
        LocalPipeline pipeline = LocalPipeline.start(world, dir, Map.of(), Set.of("projector"))) {
      // the topics exist now; a coordinator would act on the synthetic admissions
      pipeline.kill("coordinator");
      DashboardBenchmark bench = new DashboardBenchmark(pipeline.statusUrl(), world.adminToken(), samples);
      try (KafkaProducer<String, byte[]> producer = producer(world.kafka().bootstrapServers())) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          for (Envelope e : DashboardHistories.history(i)) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, e.database(), JsonCodec.shared().encode(e)));
          }
        }
        producer.flush();
        bench.awaitTotal(n);
        double fill = (System.nanoTime() - t0) / 1e9;
        result.put("fillSeconds", Math.round(fill * 10) / 10.0);
        out.printf("  %d requests produced and projected in %.1f s%n", n, fill);

        result.put("pages", bench.pages(n, out));
        result.put("statusApiList", bench.statusApiList(out));
        result.put("eventToPage", bench.eventToPage(producer, events, out));
        if (browserEvents > 0) {
          result.put("eventToBrowser", DashboardBrowserLatency.run(pipeline.statusUrl(), world.adminToken(), producer,
              browserEvents, out));
        }
      }
      ServiceProcess projector = pipeline.service("projector");
      result.put("heapUsedMiB", bench.heapUsedMiB(projector));
      result.put("rssMiB", projector.residentBytes().map(b -> b >> 20).orElse(null));
      out.printf("  projector heap in use %s MiB (after a GC), RSS %s MiB%n", result.get("heapUsedMiB"),
          result.get("rssMiB"));
    }
    return result;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
  }

  /** Waits until the requests view counts {@code n} requests: every history is folded. */
  private void awaitTotal(int n) throws Exception {
    long deadline = System.nanoTime() + FILL_TIMEOUT.toNanos();
    int total = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> page = get("/api/v1/dashboard/requests?size=1");
      if (page.statusCode() == 200) {
        total = JsonCodec.shared().mapper().readTree(page.body()).path("total").asInt();
        if (total >= n) {
          return;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    }
    throw new IllegalStateException("the projector counted " + total + " of " + n + " requests after "
        + FILL_TIMEOUT);
  }

  private List<Map<String, Object>> pages(int n, PrintStream out) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    // the filtered views: one namespace of ten, and a phase a fifth of the requests and of the databases are in
    String filter = "namespace=" + DashboardHistories.namespace(0) + "&phase=Progressing";
    for (String view : List.of("fleet", "requests")) {
      for (String query : List.of("", filter)) {
        int total = JsonCodec.shared().mapper().readTree(get("/api/v1/dashboard/" + view + "?size=1"
            + (query.isEmpty() ? "" : "&" + query)).body()).path("total").asInt();
        int deep = Math.max(0, total / PAGE_SIZE - 1);
        for (int page : deep == 0 ? List.of(0) : List.of(0, deep)) {
          String path = "/api/v1/dashboard/" + view + "?size=" + PAGE_SIZE + "&page=" + page
              + (query.isEmpty() ? "" : "&" + query);
          List<Long> nanos = new ArrayList<>();
          int bytes = 0;
          for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(path);
            nanos.add(System.nanoTime() - t0);
            check(r, path);
            bytes = r.body().length();
          }
          Stats s = Stats.ofNanos(nanos);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("view", view);
          row.put("filter", query.isEmpty() ? "none" : query);
          row.put("page", page);
          row.put("total", total);
          row.put("medianMs", s.p50Ms());
          row.put("p99Ms", s.p99Ms());
          row.put("bytes", bytes);
          rows.add(row);
          out.printf("  %-8s %-40s page %3d of %5d: median %8.2f ms, p99 %8.2f ms, %7d bytes%n", view,
              query.isEmpty() ? "(no filter)" : query, page, total, s.p50Ms(), s.p99Ms(), bytes);
        }
      }
    }
    return rows;
  }

  /**
   * The status API's list of every request as {@code pxops list} reads it: the first answer (no {@code limit}: the
   * server's default), then every page after it through {@code metadata.continue}, each page's time and bytes.
   */
  private Map<String, Object> statusApiList(PrintStream out) throws Exception {
    List<Long> nanos = new ArrayList<>();
    long largest = 0;
    long totalBytes = 0;
    int items = 0;
    String token = null;
    long firstBytes = 0;
    do {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(request("/api/v1/updaterequests"
          + (token == null ? "" : "?continue=" + token)), HttpResponse.BodyHandlers.ofByteArray());
      nanos.add(System.nanoTime() - t0);
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /api/v1/updaterequests: HTTP " + r.statusCode());
      }
      JsonNode body = JsonCodec.shared().mapper().readTree(r.body());
      items += body.path("items").size();
      largest = Math.max(largest, r.body().length);
      totalBytes += r.body().length;
      if (nanos.size() == 1) {
        firstBytes = r.body().length;
      }
      token = body.path("metadata").path("continue").asText(null);
    } while (token != null && nanos.size() < 10_000);
    Stats s = Stats.ofNanos(nanos);
    long sum = nanos.stream().mapToLong(Long::longValue).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pages", nanos.size());
    m.put("items", items);
    m.put("firstPageMs", Math.round(nanos.get(0) / 1e5) / 10.0);
    m.put("firstPageBytes", firstBytes);
    m.put("largestPageBytes", largest);
    m.put("pageMedianMs", s.p50Ms());
    m.put("wholeListMs", Math.round(sum / 1e5) / 10.0);
    m.put("wholeListBytes", totalBytes);
    out.printf("  GET /api/v1/updaterequests: first answer %.0f ms, %d bytes; %d items in %d pages (largest %d bytes), "
        + "%.0f ms in all%n", nanos.get(0) / 1e6, firstBytes, items, nanos.size(), largest, sum / 1e6);
    return m;
  }

  private Map<String, Object> eventToPage(KafkaProducer<String, byte[]> producer, int events, PrintStream out)
      throws Exception {
    BlockingQueue<String> statuses = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/v1/dashboard/stream")).header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
    if (stream.statusCode() != 200) {
      throw new IllegalStateException("the dashboard stream answered " + stream.statusCode());
    }
    Thread reader = new Thread(() -> {
      try {
        stream.body().forEach(line -> {
          if (line.equals("event: ready")) {
            statuses.add("ready");
          } else if (line.startsWith("data: ")) {
            statuses.add(line.substring(6));
          }
        });
      } catch (RuntimeException closed) {
        // the stream ends with the benchmark
      }
    }, "dashboard-sse-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      await(statuses, "ready"::equals, "the stream's ready event");
      List<Long> toStream = new ArrayList<>();
      List<Long> pageAfter = new ArrayList<>();
      List<Long> eventToPage = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        String ns = DashboardHistories.namespace(i);
        String name = "latency-" + i;
        Envelope e = DashboardHistories.admitted(ns, name, "latency-db-" + i, Instant.now());
        String key = "\"opsRequest\":\"" + ns + "/" + name + "\"";
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.EVENTS, e.database(), JsonCodec.shared().encode(e)));
        producer.flush();
        await(statuses, data -> data.contains(key), "the status of " + ns + "/" + name);
        long t1 = System.nanoTime();
        HttpResponse<String> page = get("/api/v1/dashboard/fleet?size=" + PAGE_SIZE);
        long t2 = System.nanoTime();
        check(page, "the fleet page after an event");
        toStream.add(t1 - t0);
        pageAfter.add(t2 - t1);
        eventToPage.add(t2 - t0);
      }
      Stats stream1 = Stats.ofNanos(toStream);
      Stats page1 = Stats.ofNanos(pageAfter);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("events", events);
      m.put("toStream", stream1.toMap());
      m.put("pageAfterChange", page1.toMap());
      Stats both = Stats.ofNanos(eventToPage);
      m.put("eventToPage", both.toMap());
      m.put("eventToPageP50Ms", both.p50Ms());
      m.put("eventToPageP99Ms", both.p99Ms());
      out.printf("  event -> SSE status: %s%n  fleet page right after a change: %s%n  event -> that page: %s%n",
          stream1, page1, both);
      return m;
    } finally {
      stream.body().close();
    }
  }

  private static void await(BlockingQueue<String> queue, java.util.function.Predicate<String> wanted, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
    for (;;) {
      long left = deadline - System.nanoTime();
      String next = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new IllegalStateException(what + " did not arrive on the dashboard stream within " + EVENT_TIMEOUT);
      }
      if (wanted.test(next)) {
        return;
      }
    }
  }

  /** The heap in use, from the projector's Prometheus metrics, after asking it to collect (jcmd) if it can. */
  private Long heapUsedMiB(ServiceProcess projector) throws Exception {
    try {
      Process gc = new ProcessBuilder("jcmd", String.valueOf(projector.pid()), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!gc.waitFor(30, TimeUnit.SECONDS)) {
        gc.destroyForcibly();
      }
    } catch (IOException noJcmd) {
      // the figure is then the heap in use, garbage included
    }
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    double bytes = 0;
    boolean found = false;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? Math.round(bytes / (1 << 20)) : null;
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token).build();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private static void check(HttpResponse<String> r, String what) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }
}
