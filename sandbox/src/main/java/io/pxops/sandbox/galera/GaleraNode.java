package io.pxops.sandbox.galera;

import io.pxops.sandbox.galera.StartRecord.Transfer;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One real {@code mariadbd} process with the galera-4 provider, on its own loopback address.
 *
 * <p>Layout of {@link GaleraNodeConfig#dir()}: {@code my.cnf}, {@code data/} (the datadir; kept across stops, like a
 * pod's volume), {@code mysqld.sock}, {@code mysqld.pid}, {@code error.log} (the server's), {@code stdout.log}
 * (anything the process and its SST scripts print), {@code install-db.log}, {@code wsrep-recover.log}.
 *
 * <p>What this class takes care of (each point was hit and measured on a real cluster):
 * <ul>
 *   <li>Each node listens on the standard ports 3306 (SQL), 4567 (gcomm), 4568 (IST) and 4444 (rsync SST) of its
 *       own 127.x.y.z address, as pods do on their pod IPs. This works for gcomm, IST and rsync SST: the SST
 *       script's listener check matches the rsync daemon by port <em>and</em> pid, and binds it to the node's
 *       address, so equal port numbers on distinct addresses do not collide.</li>
 *   <li>When the JVM runs as root, the server runs as the {@code mysql} user ({@code user=mysql}, the node
 *       directory is chowned to it): rsync SST fails when mariadbd runs as root.</li>
 *   <li>{@code --defaults-file} comes first, and basedir, plugin, message and charset dirs point into the build, so
 *       nothing of a system-wide installation is read; the build's {@code bin/} leads {@code PATH} so its SST
 *       scripts and tools are used.</li>
 *   <li>After an unclean stop (SIGKILL: {@code grastate.dat} says {@code seqno: -1}) {@link #start} first runs
 *       {@code --wsrep-recover} and passes the recovered {@code --wsrep-start-position}, so the node rejoins by IST,
 *       not by a full SST.</li>
 * </ul>
 *
 * <p>Status is read over JDBC/TCP as {@code 'root'@'%'} with short timeouts. Until the bootstrap node has run
 * {@link #createUsers} (and on joiners, until that user arrived by state transfer) status queries fail with "access
 * denied", which reads as "not ready".
 *
 * <p>A node does not decide by itself whether it may start (bootstrap or join, and whether the survivors have
 * evicted its previous incarnation): {@link GaleraPodRuntime} does.
 */
public final class GaleraNode {

  /** SQL port on the node's address. */
  public static final int SQL_PORT = 3306;
  /** Group communication port on the node's address. */
  public static final int GCOMM_PORT = 4567;
  /** Incremental state transfer port on the node's address. */
  public static final int IST_PORT = 4568;
  /** rsync state snapshot transfer port on the node's address. */
  public static final int SST_PORT = 4444;
  /** The galera-4 provider from the Debian package. */
  public static final String GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so";
  /** The longest unix socket path Linux accepts ({@code sun_path} holds 108 bytes with its terminating NUL). */
  public static final int MAX_SOCKET_PATH = 107;

  private static final boolean RUN_AS_MYSQL = "root".equals(System.getProperty("user.name"));
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern RECOVERED = Pattern.compile("WSREP: Recovered position: (\\S+)");
  private static final Pattern SEQNO = Pattern.compile("(?m)^seqno:\\s+(-?\\d+)");
  private static final List<String> STATUS_VARIABLES = List.of("wsrep_local_state_comment", "wsrep_cluster_size",
      "wsrep_cluster_status", "wsrep_ready", "wsrep_connected", "wsrep_cluster_state_uuid",
      "wsrep_incoming_addresses");

  private final MariaDbBuilds builds;
  private volatile GaleraNodeConfig config;

  // guarded by this
  private volatile Process process;
  private volatile String build;
  private boolean exitRequested;
  private long errorLogOffset;
  private final List<StartRecord> starts = new ArrayList<>();
  /** When a stop (SIGTERM) or kill of a running process was asked for: the start of a restart. */
  private final List<Instant> stopRequests = new ArrayList<>();

  private final Object statusLock = new Object();
  // guarded by statusLock
  private Connection statusConnection;
  private volatile NodeStatus lastStatus = NodeStatus.unreachable("not started");

  public GaleraNode(GaleraNodeConfig config, MariaDbBuilds builds) {
    this.config = config;
    this.builds = builds;
  }

  public GaleraNodeConfig config() {
    return config;
  }

  /**
   * Replaces the configuration (e.g. a pod re-created with other peer addresses); the directory must stay the same.
   *
   * @throws IllegalStateException while the process runs
   */
  public synchronized void reconfigure(GaleraNodeConfig newConfig) {
    if (running()) {
      throw new IllegalStateException(name() + " is running: stop it before reconfiguring");
    }
    if (!newConfig.dir().equals(config.dir())) {
      throw new IllegalArgumentException("a node keeps its directory: " + config.dir() + " != " + newConfig.dir());
    }
    this.config = newConfig;
  }

  public String name() {
    return config.nodeName();
  }

  /** The node's loopback address. */
  public String address() {
    return config.address();
  }

  public Path dir() {
    return config.dir();
  }

  public Path dataDir() {
    return dir().resolve("data");
  }

  public Path socket() {
    return dir().resolve("mysqld.sock");
  }

  public Path errorLog() {
    return dir().resolve("error.log");
  }

  public Path myCnf() {
    return dir().resolve("my.cnf");
  }

  /** A JDBC URL for clients (no socket timeout: writes may stall for seconds while a crashed peer is evicted). */
  public String jdbcUrl() {
    return "jdbc:mysql://" + address() + ":" + SQL_PORT + "/?sslMode=DISABLED&connectTimeout=2000";
  }

  /** The build of the running (or last started) process, or null. */
  public String build() {
    return build;
  }

  /** Whether the data directory holds a database (installed, or received by state transfer). */
  public boolean initialized() {
    return Files.isDirectory(dataDir().resolve("mysql"));
  }

  /** Whether the last stop was unclean: {@code grastate.dat} has {@code seqno: -1} while the process is down. */
  public boolean uncleanlyStopped() {
    Path grastate = dataDir().resolve("grastate.dat");
    if (running() || !Files.isRegularFile(grastate) || !Files.exists(dataDir().resolve("ibdata1"))) {
      return false;
    }
    Matcher m = SEQNO.matcher(read(grastate));
    return m.find() && m.group(1).equals("-1");
  }

  /** Creates the node's directories and writes its {@code my.cnf}; owned by {@code mysql} when running as root. */
  public synchronized void prepare() {
    try {
      Files.createDirectories(dataDir());
      Files.writeString(myCnf(), myCnfText());
      if (RUN_AS_MYSQL) {
        chownToMysql(dir());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + dir(), e);
    }
  }

  /** Runs {@code mariadb-install-db} of {@code build} on the (empty) data directory: done once, for a new cluster. */
  public synchronized void installDb(String build) {
    if (initialized()) {
      throw new IllegalStateException(name() + " already has a database in " + dataDir());
    }
    prepare();
    Path b = builds.basedir(build);
    List<String> cmd = new ArrayList<>(List.of(b.resolve("bin/mariadb-install-db").toString(),
        "--defaults-file=" + myCnf(), "--basedir=" + b, "--datadir=" + dataDir()));
    if (RUN_AS_MYSQL) {
      cmd.add("--user=mysql");
    }
    cmd.addAll(List.of("--skip-test-db", "--auth-root-authentication-method=socket"));
    int rc = run(cmd, b, dir().resolve("install-db.log"), Duration.ofMinutes(2));
    if (rc != 0) {
      // the lines before the tool's closing advice say what failed
      String why = String.join("\n", tail(dir().resolve("install-db.log"), 40));
      // a half-written data directory counts as initialized (mysql/ exists): the pod's next launch would start a
      // server on it or refuse to install again, and the pod never came up (seen once with four clusters
      // bootstrapping at once on a loaded machine); emptied, the next launch installs afresh
      String wiped = wipe(dataDir());
      throw new IllegalStateException("mariadb-install-db failed for " + name() + " (exit " + rc + ")" + wiped + ": "
          + why);
    }
  }

  /**
   * Spawns mariadbd of {@code build} and returns without waiting for it to be Synced.
   *
   * @param bootstrap start a new primary component ({@code --wsrep-new-cluster}); only for the first node of a
   *     cluster, or the first one restarted when no member runs. When the data directory already holds a
   *     database, {@code safe_to_bootstrap} is set in {@code grastate.dat}: the caller has decided that this
   *     node's state is the one to continue from.
   * @param requestedAt when the start was asked for, for the {@link StartRecord}
   * @return the record of this start; {@link #starts()} shows it updated once Synced
   */
  public synchronized StartRecord start(String build, boolean bootstrap, Instant requestedAt) {
    if (running()) {
      throw new IllegalStateException(name() + " is already running (pid " + process.pid() + ")");
    }
    Path b = builds.basedir(build);
    prepare();
    String position = uncleanlyStopped() ? recoverPosition(b) : null;
    if (bootstrap) {
      markSafeToBootstrap();
    }
    List<String> cmd = serverCommand(b);
    if (bootstrap) {
      cmd.add("--wsrep-new-cluster");
    }
    if (position != null) {
      cmd.add("--wsrep-start-position=" + position);
    }
    try {
      errorLogOffset = Files.exists(errorLog()) ? Files.size(errorLog()) : 0;
      ProcessBuilder pb = processBuilder(cmd, b, dir().resolve("stdout.log"));
      Process p = pb.start();
      process = p;
      this.build = build;
      exitRequested = false;
      StartRecord record = new StartRecord(build, bootstrap, position, requestedAt, Instant.now(), p.pid(), null,
          null);
      starts.add(record);
      lastStatus = NodeStatus.unreachable("starting");
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start mariadbd for " + name(), e);
    }
  }

  /**
   * Creates the cluster's users on a running bootstrap node, over the unix socket as the OS user root (via the
   * {@code unix_socket} plugin that {@code mariadb-install-db} set up): {@code 'root'@'%'} with the configured
   * password and all privileges for TCP clients, and {@code 'sst'@'localhost'} (unused by rsync SST, present for
   * the other SST methods). The users reach the other nodes by replication and state transfer.
   *
   * @return true when done; false when the server does not accept the statements yet (not Primary, or no socket)
   */
  public boolean createUsers() {
    String b = build;
    if (b == null || !running() || !Files.exists(socket())) {
      return false;
    }
    String pw = sqlString(config.rootPassword());
    String sql = "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY " + pw + ";\n"
        + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;\n"
        + "CREATE USER IF NOT EXISTS 'sst'@'localhost' IDENTIFIED BY " + pw + ";\n"
        + "GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'sst'@'localhost';\n";
    Path basedir = builds.basedir(b);
    List<String> cmd = List.of(basedir.resolve("bin/mariadb").toString(), "--no-defaults", "-uroot",
        "--socket=" + socket(), "--connect-timeout=2", "--batch");
    try {
      Path sqlFile = Files.createTempFile(dir(), "users", ".sql");
      try {
        Files.writeString(sqlFile, sql);
        ProcessBuilder pb = processBuilder(cmd, basedir, dir().resolve("users.log"));
        pb.redirectInput(sqlFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return false;
        }
        return p.exitValue() == 0;
      } finally {
        Files.deleteIfExists(sqlFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create users on " + name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the process runs. */
  public boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The pid of the running process. */
  public OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /** Whether the last started process has exited without {@link #stop()} or {@link #kill()} asking it to. */
  public synchronized boolean exitedUnexpectedly() {
    Process p = process;
    return p != null && !p.isAlive() && !exitRequested;
  }

  /** The exit code of the last process, once it has exited. */
  public OptionalInt exitCode() {
    Process p = process;
    return p != null && !p.isAlive() ? OptionalInt.of(p.exitValue()) : OptionalInt.empty();
  }

  /** Stops the process gracefully (SIGTERM) and waits until it has exited; the data directory is kept. */
  public void stop() {
    terminate(false);
  }

  /** Kills the process with SIGKILL (a crash), with every process it started; the data directory is kept. */
  public void kill() {
    terminate(true);
  }

  private void terminate(boolean kill) {
    Process p;
    synchronized (this) {
      p = process;
      exitRequested = true;
      if (p != null && p.isAlive()) {
        stopRequests.add(Instant.now());
      }
    }
    if (p != null && p.isAlive()) {
      List<ProcessHandle> children = p.descendants().toList();
      if (kill) {
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      } else {
        p.destroy();
      }
      try {
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // SST helpers (rsync daemon, scripts) left behind by a stopped server
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    synchronized (statusLock) {
      closeStatusConnection();
      lastStatus = NodeStatus.unreachable(kill ? "killed" : "stopped");
    }
  }

  /**
   * Queries the node's wsrep status and version over TCP (connect timeout 1 s, socket timeout 2 s). The first
   * query that sees Synced completes the current {@link StartRecord}.
   */
  public NodeStatus status() {
    NodeStatus s;
    synchronized (statusLock) {
      if (!running()) {
        closeStatusConnection();
        s = NodeStatus.unreachable("not running");
      } else {
        s = query();
      }
      lastStatus = s;
    }
    if (s.synced()) {
      markSynced(s.at());
    }
    return s;
  }

  /** The result of the last {@link #status()} call, without querying. */
  public NodeStatus lastStatus() {
    return lastStatus;
  }

  /**
   * Polls {@link #status()} every 100 ms until the node is Synced.
   *
   * @throws IllegalStateException when the process exits or the timeout passes first
   */
  public NodeStatus awaitSynced(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      NodeStatus s = status();
      if (s.synced()) {
        return s;
      }
      if (!running()) {
        throw new IllegalStateException(name() + " exited while starting: "
            + String.join("\n", errorLogTail(15)));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name() + " not Synced within " + timeout + "; last status " + s);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** When each stop or kill of a running process was asked for, oldest first: where a restart begins. */
  public synchronized List<Instant> stopRequests() {
    return List.copyOf(stopRequests);
  }

  /** Every start of this node, oldest first. */
  public synchronized List<StartRecord> starts() {
    return List.copyOf(starts);
  }

  /** The newest start. */
  public synchronized Optional<StartRecord> lastStart() {
    return starts.isEmpty() ? Optional.empty() : Optional.of(starts.get(starts.size() - 1));
  }

  /** The resident set size of the running process ({@code VmRSS} in {@code /proc/<pid>/status}), in KiB. */
  public OptionalLong rssKiB() {
    OptionalLong pid = pid();
    if (pid.isEmpty()) {
      return OptionalLong.empty();
    }
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid.getAsLong()), "status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
  }

  /** The last {@code n} lines of the server's error log. */
  public List<String> errorLogTail(int n) {
    return tail(errorLog(), n);
  }

  @Override
  public String toString() {
    return "GaleraNode[" + name() + "@" + address() + ", build=" + build + ", " + lastStatus + "]";
  }

  // --- internals ---

  private String myCnfText() {
    GaleraNodeConfig c = config;
    String ip = c.address();
    StringBuilder peers = new StringBuilder();
    for (String peer : c.peerAddresses()) {
      peers.append(peers.length() == 0 ? "" : ",").append(peer).append(':').append(GCOMM_PORT);
    }
    return "# written by pxops for node " + c.nodeName() + " of cluster " + c.clusterName() + "\n"
        + "[mysqld]\n"
        + (RUN_AS_MYSQL ? "user                     = mysql\n" : "")
        + "datadir                  = " + dataDir() + "\n"
        + "socket                   = " + socket() + "\n"
        + "pid-file                 = " + dir().resolve("mysqld.pid") + "\n"
        + "log-error                = " + errorLog() + "\n"
        + "port                     = " + SQL_PORT + "\n"
        + "bind-address             = " + ip + "\n"
        + "skip-name-resolve\n"
        + "# --- small footprint ---\n"
        + "innodb_buffer_pool_size  = 32M\n"
        + "innodb_log_file_size     = 32M\n"
        + "innodb_log_buffer_size   = 4M\n"
        + "key_buffer_size          = 1M\n"
        + "max_connections          = 50\n"
        + "performance_schema       = OFF\n"
        + "thread_cache_size        = 4\n"
        + "table_open_cache         = 200\n"
        + "table_definition_cache   = 400\n"
        + "aria_pagecache_buffer_size = 8M\n"
        + "innodb_flush_log_at_trx_commit = 2\n"
        + "# --- galera ---\n"
        + "binlog_format            = ROW\n"
        + "default_storage_engine   = InnoDB\n"
        + "innodb_autoinc_lock_mode = 2\n"
        + "wsrep_on                 = ON\n"
        + "wsrep_provider           = " + GALERA_PROVIDER + "\n"
        + "wsrep_cluster_name       = " + c.clusterName() + "\n"
        + "wsrep_cluster_address    = gcomm://" + peers + "\n"
        + "wsrep_node_name          = " + c.nodeName() + "\n"
        + "wsrep_node_address       = " + ip + ":" + GCOMM_PORT + "\n"
        + "wsrep_node_incoming_address = " + ip + ":" + SQL_PORT + "\n"
        + "wsrep_provider_options   = \"gmcast.listen_addr=tcp://" + ip + ":" + GCOMM_PORT + ";ist.recv_addr=" + ip
        + ":" + IST_PORT + ";gcache.size=64M;gcache.page_size=16M\"\n"
        + "wsrep_sst_method         = rsync\n"
        + "wsrep_sst_receive_address = " + ip + ":" + SST_PORT + "\n"
        + "wsrep_slave_threads      = 2\n";
  }

  private List<String> serverCommand(Path b) {
    return new ArrayList<>(List.of(b.resolve("sbin/mariadbd").toString(),
        "--defaults-file=" + myCnf(), // first, so that no system-wide option file is read
        "--basedir=" + b,
        "--plugin-dir=" + b.resolve("lib/mysql/plugin"),
        "--lc-messages-dir=" + b.resolve("share/mysql"),
        "--character-sets-dir=" + b.resolve("share/mysql/charsets")));
  }

  private String recoverPosition(Path b) {
    Path log = dir().resolve("wsrep-recover.log");
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = serverCommand(b);
    cmd.add("--wsrep-recover");
    cmd.add("--log-error=" + log);
    run(cmd, b, dir().resolve("stdout.log"), Duration.ofMinutes(5));
    if (!Files.exists(log)) {
      return null;
    }
    Matcher m = RECOVERED.matcher(read(log));
    String position = null;
    while (m.find()) {
      position = m.group(1);
    }
    return position == null || position.endsWith(":-1") ? null : position;
  }

  private void markSafeToBootstrap() {
    Path grastate = dataDir().resolve("grastate.dat");
    if (Files.isRegularFile(grastate)) {
      String text = read(grastate);
      String updated = text.replaceAll("(?m)^safe_to_bootstrap:\\s*0", "safe_to_bootstrap: 1");
      if (!updated.equals(text)) {
        try {
          Files.writeString(grastate, updated);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot update " + grastate, e);
        }
      }
    }
  }

  private synchronized void markSynced(Instant at) {
    if (starts.isEmpty()) {
      return;
    }
    int i = starts.size() - 1;
    StartRecord r = starts.get(i);
    Process p = process;
    if (r.syncedAt() == null && p != null && p.pid() == r.pid()) {
      starts.set(i, r.synced(at, r.bootstrap() ? Transfer.NONE : transferSince(errorLogOffset)));
    }
  }

  /** Reads the error log written since this start: an SST script reports which transfer it completed. */
  private Transfer transferSince(long offset) {
    try (RandomAccessFile f = new RandomAccessFile(errorLog().toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return Transfer.UNKNOWN;
      }
      f.seek(offset);
      byte[] bytes = new byte[(int) Math.min(len - offset, 4L << 20)];
      f.readFully(bytes);
      String log = new String(bytes, StandardCharsets.ISO_8859_1);
      if (log.contains(" SST completed on joiner") || log.contains("State transfer required")
          && log.contains("IST uuid:00000000-0000-0000-0000-000000000000")) {
        return Transfer.SST;
      }
      if (log.contains(" IST completed on joiner") || log.contains("IST received")) {
        return Transfer.IST;
      }
      return Transfer.NONE;
    } catch (IOException e) {
      return Transfer.UNKNOWN;
    }
  }

  private NodeStatus query() {
    try {
      if (statusConnection == null || statusConnection.isClosed()) {
        Properties props = new Properties();
        props.setProperty("user", "root");
        props.setProperty("password", config.rootPassword());
        statusConnection = DriverManager.getConnection("jdbc:mysql://" + address() + ":" + SQL_PORT
            + "/?sslMode=DISABLED&connectTimeout=1000&socketTimeout=2000", props);
      }
      Map<String, String> vars = new HashMap<>();
      String version;
      try (Statement st = statusConnection.createStatement()) {
        try (ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('"
            + String.join("','", STATUS_VARIABLES) + "')")) {
          while (rs.next()) {
            vars.put(rs.getString(1).toLowerCase(), rs.getString(2));
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT VERSION()")) {
          rs.next();
          version = rs.getString(1);
        }
      }
      int size;
      try {
        size = Integer.parseInt(vars.getOrDefault("wsrep_cluster_size", "0"));
      } catch (NumberFormatException e) {
        size = 0;
      }
      return new NodeStatus(Instant.now(), true, null, vars.get("wsrep_local_state_comment"), size,
          vars.get("wsrep_cluster_status"), "ON".equals(vars.get("wsrep_ready")),
          "ON".equals(vars.get("wsrep_connected")), vars.get("wsrep_cluster_state_uuid"),
          vars.get("wsrep_incoming_addresses"), version);
    } catch (SQLException e) {
      closeStatusConnection();
      String msg = String.valueOf(e.getMessage());
      int nl = msg.indexOf('\n');
      return NodeStatus.unreachable(e.getSQLState() + " " + (nl > 0 ? msg.substring(0, nl) : msg));
    }
  }

  private void closeStatusConnection() {
    if (statusConnection != null) {
      try {
        statusConnection.close();
      } catch (SQLException ignored) {
        // the server is gone: nothing to close
      }
      statusConnection = null;
    }
  }

  private ProcessBuilder processBuilder(List<String> cmd, Path basedir, Path output) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(dir().toFile());
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("PATH", basedir.resolve("bin") + File.pathSeparator + path);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return pb;
  }

  private int run(List<String> cmd, Path basedir, Path output, Duration timeout) {
    try {
      Process p = processBuilder(cmd, basedir, output).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd.get(0) + " did not finish within " + timeout + " for " + name());
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + cmd.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd.get(0), e);
    }
  }

  /** Deletes everything under {@code dir} (kept itself); says so when it could not, else nothing. */
  private static String wipe(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        if (!p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
      return "";
    } catch (IOException | UncheckedIOException e) {
      return ", and its data directory could not be emptied (" + e + ")";
    }
  }

  private static void chownToMysql(Path dir) throws IOException {
    UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName("mysql");
    GroupPrincipal group = lookup.lookupPrincipalByGroupName("mysql");
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!view.getOwner().equals(user)) {
          view.setOwner(user);
        }
        if (!view.readAttributes().group().equals(group)) {
          view.setGroup(group);
        }
      }
    }
  }

  static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
  }

  static List<String> tail(Path file, int n) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - 64 * 1024);
      f.seek(from);
      byte[] bytes = new byte[(int) (len - from)];
      f.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.ISO_8859_1).lines().toList();
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }
}
