package io.pxops.sandbox.world;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An application that keeps writing while a database is updated, the way one behind a load-balancing Service
 * would: one row per insert, autocommit, to the nodes in turn, moving on to the next node when one fails. It
 * remembers every row whose commit was acknowledged; {@link #missingOn} then says which of them a node lacks — the
 * "zero acknowledged rows lost" check. A commit that failed is not counted: the client cannot know whether it
 * happened, and the check is only about what was promised.
 */
public final class RowWriter implements AutoCloseable {

  /** The schema and table the writer owns. */
  public static final String TABLE = "pxops_probe.writes";

  private final List<String> hosts;
  private final String user;
  private final String password;
  private final Duration interval;
  private final ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private RowWriter(List<String> hosts, String user, String password, Duration interval) {
    this.hosts = List.copyOf(hosts);
    this.user = user;
    this.password = password;
    this.interval = interval;
    this.thread = new Thread(this::run, "row-writer");
    this.thread.setDaemon(true);
  }

  /**
   * Creates the table on the first node that answers and starts writing.
   *
   * @param hosts each node's address (port 3306), in pod-ordinal order
   * @param interval the pause between two inserts
   */
  public static RowWriter start(List<String> hosts, String user, String password, Duration interval)
      throws SQLException {
    RowWriter w = new RowWriter(hosts, user, password, interval);
    SQLException last = null;
    for (String host : hosts) {
      try (Connection c = w.connect(host); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE IF NOT EXISTS pxops_probe");
        s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " node VARCHAR(64) NOT NULL, payload VARCHAR(64) NOT NULL,"
            + " written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
        w.thread.start();
        return w;
      } catch (SQLException e) {
        last = e;
      }
    }
    throw last != null ? last : new SQLException("no hosts");
  }

  private void run() {
    int node = 0;
    Connection c = null;
    long n = 0;
    while (running) {
      String host = hosts.get(node);
      try {
        if (c == null) {
          c = connect(host);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (node, payload) VALUES (?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, host);
          ps.setString(2, "row-" + n++);
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            acknowledged.add(keys.getLong(1));
          }
        }
        node = (node + 1) % hosts.size();
        close(c);
        c = null;
      } catch (SQLException e) {
        failures.incrementAndGet();
        close(c);
        c = null;
        node = (node + 1) % hosts.size();
      }
      LockSupport.parkNanos(interval.toNanos());
    }
    close(c);
  }

  private Connection connect(String host) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "1000");
    p.setProperty("socketTimeout", "15000");
    p.setProperty("sslMode", "DISABLED");
    p.setProperty("allowPublicKeyRetrieval", "true");
    return DriverManager.getConnection("jdbc:mysql://" + host + ":3306/", p);
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the connection is dropped either way
      }
    }
  }

  /** How many inserts were acknowledged. */
  public long acknowledgedRows() {
    return acknowledged.size();
  }

  /** How many inserts failed (a node going away mid-insert; the writer moved on). */
  public long failedWrites() {
    return failures.get();
  }

  /**
   * For each node, the acknowledged rows it does not have (read with {@code wsrep_sync_wait=1}). Call after
   * {@link #close()} so the set no longer grows.
   *
   * @return node address to missing ids; an empty list everywhere means nothing acknowledged was lost
   */
  public Map<String, List<Long>> missingOn() throws SQLException {
    NavigableSet<Long> promised = new TreeSet<>(acknowledged);
    Map<String, List<Long>> missing = new LinkedHashMap<>();
    for (String host : hosts) {
      NavigableSet<Long> present = new TreeSet<>();
      try (Connection c = connect(host); Statement s = c.createStatement()) {
        s.execute("SET SESSION wsrep_sync_wait=1");
        try (ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
          while (rs.next()) {
            present.add(rs.getLong(1));
          }
        }
      }
      List<Long> lost = new ArrayList<>();
      for (Long id : promised) {
        if (!present.contains(id)) {
          lost.add(id);
        }
      }
      missing.put(host, lost);
    }
    return missing;
  }

  /** Row count on each node (read with {@code wsrep_sync_wait=1}). */
  public Map<String, Long> rowsOn() throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String host : hosts) {
      try (Connection c = connect(host); Statement s = c.createStatement()) {
        s.execute("SET SESSION wsrep_sync_wait=1");
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
          rs.next();
          rows.put(host, rs.getLong(1));
        }
      }
    }
    return rows;
  }

  /** Stops writing and waits for the last insert. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
