package io.pxops.verifier;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the JDBC driver's connection path and the TLS stack in the background as soon as the verifier starts.
 *
 * <p>Why: the first verdict after a start (an update's VerifyCluster) paid for the driver's and JSSE's class loading
 * and initialisation on its first connection (about a quarter of a second here, more on a loaded machine), which is
 * pure overhead on the update's wall time. A connection to a port nothing listens on loads the driver's connect
 * path and fails at once; building the default TLS context does the rest. Neither reaches any database.
 */
final class JdbcWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcWarmUp.class);

  private JdbcWarmUp() {
  }

  /** Starts a daemon thread that warms the driver and TLS up; returns it. */
  static Thread inBackground() {
    Thread thread = new Thread(() -> {
      long start = System.nanoTime();
      try {
        SSLContext.getDefault().createSSLEngine();
      } catch (Exception e) {
        LOG.debug("could not build the TLS context ahead of time", e);
      }
      Properties props = new Properties();
      props.setProperty("connectTimeout", "200");
      try {
        DriverManager.getConnection("jdbc:mysql://127.0.0.1:1/", props).close();
      } catch (SQLException | RuntimeException expected) {
        // nothing listens there: the point was the classes loaded on the way
      }
      LOG.info("warmed the JDBC driver and TLS up in {} ms", (System.nanoTime() - start) / 1_000_000);
    }, "jdbc-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
