package io.pxops.verifier;

import io.pxops.events.NodeObservation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads one Galera node over JDBC, connecting to the node itself (its pod address), never through a Service that
 * would pick any node.
 *
 * <p>The data check must hold while an application keeps writing. Two nodes read a moment apart see different row
 * counts of a growing table, so a table with a single-column integer primary key is compared only up to a bound:
 * the smallest {@code MAX(pk)} over all nodes, read first ({@link #maxKey}). Every read runs with
 * {@code wsrep_sync_wait=1}, so a node first applies every write the cluster committed before the read. Rows above
 * the bound are ignored; a row below it committed late (Galera's interleaved auto-increments) can still differ for
 * one read, which is why the verifier holds a verdict over several polls. {@code information_schema} sizes and
 * {@code table_rows} differ per node even when the data is equal, so they are never compared.
 */
public final class NodeProbe {

  private static final java.util.Set<String> SYSTEM_SCHEMA_NAMES =
      java.util.Set.of("mysql", "information_schema", "performance_schema", "sys");

  /**
   * A table the data check compares: its columns, its primary key's columns (empty when it has none) and that key's
   * column when it is a single integer one.
   */
  public record SampledTable(String schema, String table, List<String> columns, List<String> primaryKey,
      String integerKey) {

    public SampledTable {
      columns = List.copyOf(columns);
      primaryKey = List.copyOf(primaryKey);
    }

    /** {@code schema.table}, the key in {@link NodeObservation}'s maps. */
    public String name() {
      return schema + "." + table;
    }

    String quoted() {
      return quote(schema) + "." + quote(table);
    }
  }

  /** Row count and checksum of one table on one node. */
  public record TableSample(long rows, String checksum) {
  }

  private final int port;
  private final String user;
  private final String password;
  private final int connectTimeoutMillis;
  private final int socketTimeoutMillis;

  /**
   * @param port the MySQL port of every node (3306 in a KubeDB pod)
   * @param user a user that may read status and the sampled tables (KubeDB's auth Secret: root)
   * @param password its password
   * @param connectTimeoutMillis how long a connection may take; a joiner has no listener during SST, so this is short
   * @param socketTimeoutMillis how long one query may take
   */
  public NodeProbe(int port, String user, String password, int connectTimeoutMillis, int socketTimeoutMillis) {
    this.port = port;
    this.user = user;
    this.password = password;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.socketTimeoutMillis = socketTimeoutMillis;
  }

  /** Opens a connection to the node at {@code host}, with {@code wsrep_sync_wait=1} for every read. */
  public Connection connect(String host) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", String.valueOf(connectTimeoutMillis));
    props.setProperty("socketTimeout", String.valueOf(socketTimeoutMillis));
    props.setProperty("sslMode", "PREFERRED");
    props.setProperty("allowPublicKeyRetrieval", "true");
    Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", props);
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION wsrep_sync_wait=1");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** {@code SELECT VERSION()} and the wsrep status variables the checks use; no data yet. */
  public static NodeObservation status(String pod, Connection c) throws SQLException {
    return statusAndView(pod, c).observation();
  }

  /**
   * A node's status and its {@code wsrep_cluster_conf_id}: the number of the cluster view it is in, the same on every
   * member, changed by every join or leave; -1 when it cannot be parsed. Read in the same two queries as the status.
   */
  public record StatusAndView(NodeObservation observation, long clusterConfId) {
  }

  /** {@link #status} and the node's cluster view number, from the same reads. */
  public static StatusAndView statusAndView(String pod, Connection c) throws SQLException {
    String version;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      version = rs.getString(1);
    }
    Map<String, String> wsrep = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_%'")) {
      while (rs.next()) {
        wsrep.put(rs.getString(1).toLowerCase(), rs.getString(2));
      }
    }
    int size;
    try {
      size = Integer.parseInt(wsrep.getOrDefault("wsrep_cluster_size", "0"));
    } catch (NumberFormatException e) {
      size = 0;
    }
    long confId;
    try {
      confId = Long.parseLong(wsrep.getOrDefault("wsrep_cluster_conf_id", "-1"));
    } catch (NumberFormatException e) {
      confId = -1;
    }
    return new StatusAndView(new NodeObservation(pod, version, wsrep.get("wsrep_local_state_comment"),
        wsrep.get("wsrep_cluster_status"), wsrep.get("wsrep_ready"), wsrep.get("wsrep_connected"), size,
        wsrep.get("wsrep_cluster_state_uuid"), Map.of(), Map.of()), confId);
  }

  /** The rows of a query with one string parameter, each as its first {@code width} columns. */
  private static List<List<String>> query(Connection c, String sql, String parameter, int width)
      throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          List<String> row = new ArrayList<>(width);
          for (int i = 1; i <= width; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * The user tables to compare, at most {@code limit}, in name order.
   *
   * <p>Schema by schema, each query naming its schema: MariaDB answers an {@code information_schema} query whose
   * WHERE names the schema by opening only that schema's tables, but one that excludes the system schemas
   * ({@code NOT IN}) opens every table definition of the server first — {@code sys} and {@code performance_schema}
   * alone are some 200 — which took 35–55 ms on an empty database, half of a whole verdict, at every verdict.
   */
  public static List<SampledTable> tables(Connection c, int limit) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")) {
      while (rs.next()) {
        if (!SYSTEM_SCHEMA_NAMES.contains(rs.getString(1).toLowerCase(java.util.Locale.ROOT))) {
          schemas.add(rs.getString(1));
        }
      }
    }
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, List<String[]>> keys = new HashMap<>();
    // three plain queries, no join: MariaDB materialises each information_schema table of a join separately
    for (String schema : schemas) {
      if (columns.size() >= limit) {
        break;
      }
      java.util.Set<String> baseTables = new java.util.HashSet<>();
      for (List<String> row : query(c, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
          + " AND TABLE_TYPE = 'BASE TABLE'", schema, 1)) {
        baseTables.add(row.get(0));
      }
      if (baseTables.isEmpty()) {
        continue;
      }
      Map<String, String> types = new HashMap<>();
      for (List<String> row : query(c, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
          + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION", schema, 3)) {
        if (baseTables.contains(row.get(0))) {
          columns.computeIfAbsent(schema + "\u0000" + row.get(0), k -> new ArrayList<>()).add(row.get(1));
          types.put(row.get(0) + "\u0000" + row.get(1), row.get(2));
        }
      }
      for (List<String> row : query(c, "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
          + " WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION", schema, 2)) {
        if (baseTables.contains(row.get(0))) {
          keys.computeIfAbsent(schema + "\u0000" + row.get(0), k -> new ArrayList<>())
              .add(new String[] {row.get(1), types.getOrDefault(row.get(0) + "\u0000" + row.get(1), "")});
        }
      }
    }
    List<SampledTable> tables = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : columns.entrySet()) {
      if (tables.size() == limit) {
        break;
      }
      String[] name = e.getKey().split("\u0000", 2);
      List<String[]> key = keys.getOrDefault(e.getKey(), List.of());
      String integerKey = key.size() == 1 && key.get(0)[1].toLowerCase().endsWith("int") ? key.get(0)[0] : null;
      tables.add(new SampledTable(name[0], name[1], e.getValue(), key.stream().map(k -> k[0]).toList(), integerKey));
    }
    return tables;
  }

  /** {@code MAX(pk)} of a table with an integer key, or {@code null} when it is empty or has none. */
  public static Long maxKey(Connection c, SampledTable t) throws SQLException {
    if (t.integerKey() == null) {
      return null;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(" + quote(t.integerKey()) + ") FROM " + t.quoted())) {
      rs.next();
      long max = rs.getLong(1);
      return rs.wasNull() ? null : max;
    }
  }

  /**
   * Counts and checksums a table's rows, up to {@code bound} of its integer key when given. The checksum is the sum
   * of a CRC32 per row (order-free, and unlike XOR a duplicated row does not cancel out), over every column with
   * NULL marked apart from the empty string.
   */
  public static TableSample sample(Connection c, SampledTable t, Long bound) throws SQLException {
    return checksum(c, "FROM " + t.quoted()
        + (bound == null || t.integerKey() == null ? "" : " WHERE " + quote(t.integerKey()) + " <= " + bound), t);
  }

  /**
   * Counts and checksums the rows of a key range, {@code lo < pk <= hi} ({@code lo} null: from the first key), at
   * most {@code limit} of them: a range scan on the primary key, so its cost is the chunk's, not the table's.
   */
  public static TableSample sampleRange(Connection c, SampledTable t, Long lo, long hi, int limit)
      throws SQLException {
    String key = quote(t.integerKey());
    String cols = t.columns().stream().map(NodeProbe::quote).collect(Collectors.joining(", "));
    // the LIMIT keeps the cost bounded on a node that holds far more rows in the range than the node that cut it
    // (a node whose copy of the table is much larger): it then counts limit rows, which differs, as it should
    return checksum(c, "FROM (SELECT " + cols + " FROM " + t.quoted() + " WHERE "
        + (lo == null ? "" : key + " > " + lo + " AND ") + key + " <= " + hi + " ORDER BY " + key + " LIMIT " + limit
        + ") chunk", t);
  }

  /** Counts and checksums the first {@code n} rows in primary-key order (a table without a single integer key). */
  public static TableSample sampleHead(Connection c, SampledTable t, int n) throws SQLException {
    String cols = t.columns().stream().map(NodeProbe::quote).collect(Collectors.joining(", "));
    String order = t.primaryKey().stream().map(NodeProbe::quote).collect(Collectors.joining(", "));
    return checksum(c, "FROM (SELECT " + cols + " FROM " + t.quoted() + " ORDER BY " + order + " LIMIT " + n
        + ") head", t);
  }

  /** How many rows the table has, counting no further than {@code limit}: a cost bounded by the limit. */
  public static long countUpTo(Connection c, SampledTable t, long limit) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM (SELECT 1 FROM " + t.quoted() + " LIMIT " + limit + ") head")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Up to {@code n} keys {@code > after} (null: from the first) and {@code <= upTo}, in key order: how many and the
   * last. Reads at most {@code n} entries of the primary key after a seek; never an OFFSET from the table's start.
   */
  public static ChunkPlanner.Span keysAfter(Connection c, SampledTable t, Long after, long upTo, int n)
      throws SQLException {
    String key = quote(t.integerKey());
    String sql = "SELECT COUNT(*), MAX(k) FROM (SELECT " + key + " AS k FROM " + t.quoted() + " WHERE "
        + (after == null ? "" : key + " > " + after + " AND ") + key + " <= " + upTo + " ORDER BY " + key + " LIMIT "
        + n + ") span";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long last = rs.getLong(2);
      return new ChunkPlanner.Span(rs.getInt(1), rs.wasNull() ? null : last);
    }
  }

  /**
   * The key below the newest {@code n} keys {@code <= upTo}, or {@code null} when there are no more than {@code n}:
   * reads at most {@code n + 1} entries of the primary key, backwards from {@code upTo}.
   */
  public static Long keyBelowNewest(Connection c, SampledTable t, long upTo, int n) throws SQLException {
    String key = quote(t.integerKey());
    String sql = "SELECT COUNT(*), MIN(k) FROM (SELECT " + key + " AS k FROM " + t.quoted() + " WHERE " + key
        + " <= " + upTo + " ORDER BY " + key + " DESC LIMIT " + (n + 1L) + ") newest";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1) == n + 1L ? rs.getLong(2) : null;
    }
  }

  /** {@code COUNT(*)} and the sum of a CRC32 per row over {@code from} (a FROM clause yielding the table's columns). */
  private static TableSample checksum(Connection c, String from, SampledTable t) throws SQLException {
    String row = t.columns().stream().map(NodeProbe::quote).collect(Collectors.joining(", "));
    String nulls = t.columns().stream().map(col -> "ISNULL(" + quote(col) + ")").collect(Collectors.joining(", "));
    String sql = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS(CHAR(31), " + row + ", CONCAT(" + nulls + ")))), 0) "
        + from;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new TableSample(rs.getLong(1), rs.getString(2));
    }
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
