package io.pxops.systemtests;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium on the dashboard, through Selenium and Debian's {@code chromium} and {@code chromium-driver}
 * (installed by {@code scripts/install-local-world.sh}). Both paths are given explicitly, so Selenium Manager never
 * runs: it would try to download a browser, and nothing may be downloaded here. Override them with the system
 * properties {@code pxops.chromedriver} and {@code pxops.chromium}.
 *
 * <p>Reads the page as a person would: by what is shown (the {@code data-*} attributes the page writes beside the
 * text it shows), read from the DOM in one script so that a re-render in between cannot tear a read; never by
 * calling the page's own functions.
 */
final class DashboardBrowser implements AutoCloseable {

  private static final String DRIVER = System.getProperty("pxops.chromedriver", "/usr/bin/chromedriver");
  private static final String BROWSER = System.getProperty("pxops.chromium", "/usr/bin/chromium");

  private final ChromeDriver driver;

  private DashboardBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a headless browser with a laptop-sized window. */
  static DashboardBrowser start() {
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1440,1000", "--lang=en-US");
    return new DashboardBrowser(new ChromeDriver(service, options));
  }

  /** Opens a URL (a change of fragment only is a same-page navigation, as a click on a link would be). */
  void open(String url) {
    driver.get(url);
  }

  /** The text of the first element {@code css} finds, or "" when there is none. */
  String text(String css) {
    Object text = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
        css);
    return text == null ? "" : text.toString();
  }

  /** An attribute of the first element {@code css} finds, or null. */
  String attribute(String css, String name) {
    Object value = driver.executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    return value == null ? null : value.toString();
  }

  /** How many elements {@code css} finds. */
  long count(String css) {
    return (Long) driver.executeScript("return document.querySelectorAll(arguments[0]).length;", css);
  }

  /** The steps the request view shows, in the order shown (read at once: the page may re-render in between). */
  @SuppressWarnings("unchecked")
  List<String> steps() {
    Object steps = driver.executeScript(
        "return Array.from(document.querySelectorAll('#steps li')).map(li => li.getAttribute('data-step'));");
    return List.copyOf((List<String>) steps);
  }

  /** The phase the request view shows. */
  String requestPhase() {
    return attribute("#r-phase .phase", "data-phase");
  }

  /** Clicks the first element {@code css} finds, again if the page re-rendered it just before the click. */
  void click(String css) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .ignoreException(StaleElementReferenceException.class).until(() -> {
          driver.findElement(By.cssSelector(css)).click();
          return true;
        });
  }

  /** Saves a screenshot of the window. */
  Path screenshot(Path to) throws java.io.IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(to.toAbsolutePath().getParent());
    return Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
