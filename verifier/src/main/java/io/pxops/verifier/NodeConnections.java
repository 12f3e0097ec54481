package io.pxops.verifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One JDBC connection per node, kept across looks: a verdict takes several looks in a row, and a new connection per
 * node per look cost a TCP and TLS handshake and an authentication each time (the first one also the driver's class
 * loading), which was most of a look on an empty database.
 *
 * <p>A connection belongs to a node's address: it is kept under the pod's {@code namespace/name} together with the
 * pod's uid, address and user, and any of them differing (a pod re-created under the same name has a new uid and
 * usually a new address; a rotated Secret a new user) closes the old connection and opens a new one, so a look never
 * reads a node through a connection to what used to be there. A connection that failed is {@link #discard}ed and the
 * next look connects again. At most {@code max} are kept (the least recently used is closed first) and one unused
 * for {@code idle} is closed at the next {@link #lease}, so a verifier that served many databases holds no
 * connection for those it no longer checks.
 *
 * <p>Each connection has a session number, new for every connection opened: {@link GaleraVerifier} holds a verdict
 * only while every node's session is unchanged, because a reconnect can mean the node's process restarted between
 * two looks (a crash-looping joiner), which its Galera status alone may not show yet.
 *
 * <p>Thread-safe: the verifier's attempts run on several threads, one command at a time each. A connect happens
 * outside the lock, so a node that does not answer delays only its own look.
 */
public final class NodeConnections implements AutoCloseable {

  /** Opens a connection to a node's address. */
  @FunctionalInterface
  public interface Connector {
    Connection connect(String host) throws SQLException;
  }

  /** A kept connection and its session number. */
  public record Lease(Connection connection, long session) {
  }

  private record Kept(String uid, String host, String user, Connection connection, long session, Instant used) {
  }

  private final int max;
  private final Duration idle;
  private final Clock clock;
  private final Map<String, Kept> kept = new HashMap<>();
  private long sessions;
  private boolean closed;

  /**
   * @param max the most connections kept at once (at least 1)
   * @param idle how long an unused connection is kept
   */
  public NodeConnections(int max, Duration idle, Clock clock) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    this.max = max;
    this.idle = idle;
    this.clock = clock;
  }

  /**
   * The kept connection to pod {@code key} at {@code host}, or a new one when there is none, the pod is another one
   * ({@code uid}), its address or user changed, or the kept one is closed.
   *
   * @throws SQLException when a new connection cannot be opened (nothing is kept for the pod then)
   */
  public Lease lease(String key, String uid, String host, String user, Connector connector) throws SQLException {
    synchronized (this) {
      if (closed) {
        throw new SQLException("the verifier is stopping");
      }
      Instant now = clock.instant();
      closeIdle(now);
      Kept k = kept.get(key);
      if (k != null && Objects.equals(k.uid(), uid) && k.host().equals(host) && k.user().equals(user)
          && !isClosed(k.connection())) {
        kept.put(key, new Kept(k.uid(), k.host(), k.user(), k.connection(), k.session(), now));
        return new Lease(k.connection(), k.session());
      }
      if (k != null) {
        kept.remove(key);
        quietlyClose(k.connection());
      }
    }
    // outside the lock: a node that does not answer holds up its own look for the connect timeout, not every look
    Connection c = connector.connect(host);
    synchronized (this) {
      if (closed) {
        quietlyClose(c);
        throw new SQLException("the verifier is stopping");
      }
      Kept raced = kept.remove(key);
      if (raced != null) {
        quietlyClose(raced.connection());
      }
      while (kept.size() >= max) {
        String oldest = kept.entrySet().stream().min(Comparator.comparing(e -> e.getValue().used())).orElseThrow()
            .getKey();
        quietlyClose(kept.remove(oldest).connection());
      }
      Kept fresh = new Kept(uid, host, user, c, ++sessions, clock.instant());
      kept.put(key, fresh);
      return new Lease(c, fresh.session());
    }
  }

  /** Closes and forgets pod {@code key}'s connection if it is still {@code connection} (it failed). */
  public synchronized void discard(String key, Connection connection) {
    Kept k = kept.get(key);
    if (k != null && k.connection() == connection) {
      kept.remove(key);
    }
    quietlyClose(connection);
  }

  /** The session of pod {@code key}'s kept connection, if one is kept. */
  public synchronized Optional<Long> session(String key) {
    return Optional.ofNullable(kept.get(key)).map(Kept::session);
  }

  /** How many connections are kept now. */
  public synchronized int size() {
    return kept.size();
  }

  private void closeIdle(Instant now) {
    List<String> stale = new ArrayList<>();
    kept.forEach((key, k) -> {
      if (k.used().plus(idle).isBefore(now)) {
        stale.add(key);
      }
    });
    for (String key : stale) {
      quietlyClose(kept.remove(key).connection());
    }
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void quietlyClose(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // it is being dropped; a connection that does not close cleanly is gone either way
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    kept.values().forEach(k -> quietlyClose(k.connection()));
    kept.clear();
  }
}
