package io.pxops.benchmarks;

import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Event to DOM: the dashboard open in Debian's headless Chromium (through its chromedriver, both paths given, so
 * Selenium Manager never runs and nothing is downloaded), a new request admitted on {@code pxops.events}, and the time
 * until the page shows it: its row in the fleet view's pending requests, which the page reloads 300 ms after the
 * stream tells it of a change. The browser notes the moment the row appears (a {@code MutationObserver}); both
 * clocks are this machine's.
 */
final class DashboardBrowserLatency {

  private static final String DRIVER = System.getProperty("pxops.chromedriver", "/usr/bin/chromedriver");
  private static final String BROWSER = System.getProperty("pxops.chromium", "/usr/bin/chromium");
  private static final Duration ROW_TIMEOUT = Duration.ofSeconds(30);

  private DashboardBrowserLatency() {
  }

  /**
   * Times {@code events} admissions, one at a time.
   *
   * @return the figures, or a note saying why there are none
   */
  static Map<String, Object> run(String statusUrl, String token, KafkaProducer<String, byte[]> producer, int events,
      PrintStream out) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!Files.isExecutable(Path.of(DRIVER)) || !Files.isExecutable(Path.of(BROWSER))) {
      m.put("note", "no " + BROWSER + " and " + DRIVER + ": not measured");
      out.println("  browser: " + m.get("note"));
      return m;
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    // --no-sandbox: benchmarks may run as root, where Chromium's sandbox refuses to start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1440,1000");
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      driver.manage().timeouts().scriptTimeout(ROW_TIMEOUT);
      driver.get(statusUrl + "/dashboard/#token=" + token);
      long deadline = System.nanoTime() + ROW_TIMEOUT.toNanos();
      while (!"live on".equals(driver.executeScript("return document.getElementById('live').className;"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the dashboard did not go live within " + ROW_TIMEOUT);
        }
        Thread.onSpinWait();
      }
      List<Long> nanos = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        String ns = "browser";
        String name = "shown-" + i;
        Envelope e = DashboardHistories.admitted(ns, name, "shown-db-" + i, Instant.now());
        String css = "#pending tr[data-request=\"" + ns + "/" + name + "\"]";
        // the observer is in place before the event is produced; it answers with the browser's clock
        driver.executeScript("window.__shown = null; const css = arguments[0];"
            + "const seen = () => { if (!window.__shown && document.querySelector(css)) window.__shown = Date.now(); };"
            + "window.__observer && window.__observer.disconnect();"
            + "window.__observer = new MutationObserver(seen);"
            + "window.__observer.observe(document.body, { childList: true, subtree: true });", css);
        long producedAt = System.currentTimeMillis();
        producer.send(new ProducerRecord<>(Topics.EVENTS, e.database(), JsonCodec.shared().encode(e)));
        producer.flush();
        Object shown = driver.executeAsyncScript("const limit = arguments[0];"
            + "const done = arguments[arguments.length - 1]; const t0 = Date.now();"
            + "(function poll() { if (window.__shown) done(window.__shown);"
            + " else if (Date.now() - t0 > limit) done(null); else setTimeout(poll, 5); })();",
            ROW_TIMEOUT.toMillis() - 1000);
        if (!(shown instanceof Number at)) {
          throw new IllegalStateException("the page did not show " + ns + "/" + name + " within " + ROW_TIMEOUT);
        }
        nanos.add(Duration.ofMillis(Math.max(0, at.longValue() - producedAt)).toNanos());
      }
      Stats s = Stats.ofNanos(nanos);
      m.putAll(s.toMap());
      out.printf("  event -> row shown in headless Chromium: %s%n", s);
      return m;
    } finally {
      driver.quit();
    }
  }
}
