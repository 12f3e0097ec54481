package io.pxops.sandbox.world;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples every node of a cluster on a fixed period and records how many were out of the cluster at once — the
 * evidence for "never more than one node down". A node is in when it answers, its {@code wsrep_cluster_status} is
 * {@code Primary} and its {@code wsrep_local_state_comment} is {@code Synced} or {@code Donor/Desynced} (a donor
 * still belongs to the primary component), or {@code Joined} right after {@code Donor/Desynced}: Galera moves a
 * donor through Joined back to Synced once it has sent the state, while it applies what it queued meanwhile, and
 * it never left the primary component (a chaos trial flagged "two nodes out" with the joiner not answering yet and
 * its donor in that Joined). Anything else — no answer, Joining, a joiner's Joined, non-Primary — is out.
 */
public final class MembershipMonitor implements AutoCloseable {

  /**
   * One sample.
   *
   * @param at when it was taken
   * @param out the names of the nodes that were out
   * @param why for each node out, in the same order, what it showed: its state and cluster status, or the error
   *     that stood for an answer (a report of two nodes out must say whether both were really down)
   */
  public record Sample(Instant at, List<String> out, List<String> why) {

    public Sample(Instant at, List<String> out) {
      this(at, out, List.of());
    }

    /** "name (why), ...", for reports. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < out.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(out.get(i)).append(i < why.size() ? " (" + why.get(i) + ")" : "");
      }
      return at + ": " + b;
    }
  }

  private final List<String> names;
  private final List<String> hosts;
  private final String user;
  private final String password;
  private final Duration every;
  private final Connection[] connections;
  /** Each node's state at its previous sample (null: no answer), to tell a donor's Joined from a joiner's. */
  private final String[] lastState;
  /** Per node, while it is Joined: whether it came there from Donor/Desynced. */
  private final Boolean[] donorJoined;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private MembershipMonitor(List<String> names, List<String> hosts, String user, String password, Duration every) {
    this.names = List.copyOf(names);
    this.hosts = List.copyOf(hosts);
    this.user = user;
    this.password = password;
    this.every = every;
    this.connections = new Connection[hosts.size()];
    this.lastState = new String[hosts.size()];
    this.donorJoined = new Boolean[hosts.size()];
    this.thread = new Thread(this::run, "membership-monitor");
    this.thread.setDaemon(true);
  }

  /**
   * Starts sampling.
   *
   * @param names each node's name (the pod), for the samples
   * @param hosts each node's address (port 3306), in the same order
   * @param every the sampling period
   */
  public static MembershipMonitor start(List<String> names, List<String> hosts, String user, String password,
      Duration every) {
    MembershipMonitor m = new MembershipMonitor(names, hosts, user, password, every);
    m.thread.start();
    return m;
  }

  private void run() {
    while (running) {
      List<String> out = new ArrayList<>();
      List<String> why = new ArrayList<>();
      for (int i = 0; i < hosts.size(); i++) {
        String outBecause = outBecause(i);
        if (outBecause != null) {
          out.add(names.get(i));
          why.add(outBecause);
        }
      }
      samples.add(new Sample(Instant.now(), List.copyOf(out), List.copyOf(why)));
      LockSupport.parkNanos(every.toNanos());
    }
    for (Connection c : connections) {
      close(c);
    }
  }

  /** Why node {@code i} is out, or null when it is in. */
  private String outBecause(int i) {
    try {
      if (connections[i] == null) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "500");
        p.setProperty("socketTimeout", "2000");
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        connections[i] = DriverManager.getConnection("jdbc:mysql://" + hosts.get(i) + ":3306/", p);
      }
      String state = null;
      String status = null;
      try (Statement s = connections[i].createStatement(); ResultSet rs = s.executeQuery(
          "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_status')")) {
        while (rs.next()) {
          if ("wsrep_local_state_comment".equalsIgnoreCase(rs.getString(1))) {
            state = rs.getString(2);
          } else {
            status = rs.getString(2);
          }
        }
      }
      String previous = lastState[i];
      boolean donorCatchingUp = "Joined".equals(state) && donorJoined[i] != null
          ? donorJoined[i] : "Joined".equals(state) && cameAsDonor(previous);
      donorJoined[i] = "Joined".equals(state) ? donorCatchingUp : null;
      lastState[i] = state;
      return isIn(state, status, donorCatchingUp) ? null
          : state + ", " + status + (previous == null ? "" : " (before: " + previous + ")");
    } catch (SQLException e) {
      close(connections[i]);
      connections[i] = null;
      lastState[i] = null;
      donorJoined[i] = null;
      return "no answer: " + e.getMessage();
    }
  }

  /**
   * Whether a node first seen Joined after {@code previous} is a donor catching up: in Galera's state machine the
   * only way from Synced to Joined is through Donor/Desynced (which a 100 ms sample can miss); a joiner comes from
   * Joining or from no answer at all.
   */
  static boolean cameAsDonor(String previous) {
    return "Donor/Desynced".equals(previous) || "Synced".equals(previous);
  }

  /**
   * Whether a node in {@code state} with cluster status {@code status} counts as in the cluster; {@code
   * donorCatchingUp}: it is in Joined having come from Donor/Desynced (not a joiner).
   */
  static boolean isIn(String state, String status, boolean donorCatchingUp) {
    if (!"Primary".equals(status)) {
      return false;
    }
    return "Synced".equals(state) || "Donor/Desynced".equals(state) || ("Joined".equals(state) && donorCatchingUp);
  }

  /** The first sample with the most nodes out, or null before the first sample. */
  public Sample worst() {
    Sample worst = null;
    for (Sample s : samples) {
      if (worst == null || s.out().size() > worst.out().size()) {
        worst = s;
      }
    }
    return worst;
  }

  /** The most nodes out of the cluster in any one sample. */
  public int maxOut() {
    return samples.stream().mapToInt(s -> s.out().size()).max().orElse(0);
  }

  /** Every node that was ever out, by name. */
  public List<String> everOut() {
    TreeSet<String> all = new TreeSet<>();
    samples.forEach(s -> all.addAll(s.out()));
    return List.copyOf(all);
  }

  /** The samples taken so far. */
  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The order in which nodes first went out after {@code since}: the restart order as the cluster saw it. */
  public List<String> firstOutOrder(Instant since) {
    List<String> order = new ArrayList<>();
    for (Sample s : samples) {
      if (s.at().isAfter(since)) {
        for (String n : s.out()) {
          if (!order.contains(n)) {
            order.add(n);
          }
        }
      }
    }
    return order;
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // dropped either way
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
