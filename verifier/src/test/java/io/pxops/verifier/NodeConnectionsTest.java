package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier's kept node connections, on real JDBC connections (H2 in memory, one database per "node address"):
 * reuse across looks, a new connection (and session) for a re-created pod, a new address or a dead connection, the
 * bound, the idle close, and nothing left open after close.
 */
class NodeConnectionsTest {

  private final String prefix = "jdbc:h2:mem:" + UUID.randomUUID() + "-";
  private final List<Connection> opened = new ArrayList<>();
  private final MutableClock clock = new MutableClock();
  private NodeConnections connections = new NodeConnections(4, Duration.ofMinutes(5), clock);

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private Connection connect(String host) throws SQLException {
    Connection c = DriverManager.getConnection(prefix + host + ";DB_CLOSE_DELAY=-1");
    opened.add(c);
    return c;
  }

  private NodeConnections.Lease lease(String pod, String uid, String host) throws SQLException {
    return connections.lease("ns/" + pod, uid, host, "root", this::connect);
  }

  @AfterEach
  void closeAll() throws SQLException {
    connections.close();
    for (Connection c : opened) {
      c.close();
    }
  }

  @Test
  void theSameNodeIsReadThroughTheSameConnectionAcrossLooks() throws Exception {
    NodeConnections.Lease first = lease("px-0", "uid-a", "10.0.0.1");
    NodeConnections.Lease second = lease("px-0", "uid-a", "10.0.0.1");
    assertThat(second.connection()).isSameAs(first.connection());
    assertThat(second.session()).isEqualTo(first.session());
    assertThat(opened).hasSize(1);
  }

  @Test
  void aPodReCreatedUnderTheSameNameGetsANewConnectionAndTheOldOneIsClosed() throws Exception {
    NodeConnections.Lease old = lease("px-0", "uid-a", "10.0.0.1");
    NodeConnections.Lease sameAddress = lease("px-0", "uid-b", "10.0.0.1");
    assertThat(old.connection().isClosed()).isTrue();
    assertThat(sameAddress.session()).isNotEqualTo(old.session());
    NodeConnections.Lease newAddress = lease("px-0", "uid-b", "10.0.0.7");
    assertThat(sameAddress.connection().isClosed()).isTrue();
    assertThat(newAddress.session()).isNotEqualTo(sameAddress.session());
    assertThat(connections.size()).isEqualTo(1);
  }

  @Test
  void aFailedConnectionIsDiscardedAndTheNextLeaseReconnectsUnderANewSession() throws Exception {
    NodeConnections.Lease first = lease("px-0", "uid-a", "10.0.0.1");
    connections.discard("ns/px-0", first.connection());
    assertThat(first.connection().isClosed()).isTrue();
    NodeConnections.Lease again = lease("px-0", "uid-a", "10.0.0.1");
    assertThat(again.connection()).isNotSameAs(first.connection());
    assertThat(again.session()).isGreaterThan(first.session());
  }

  @Test
  void aConnectionClosedUnderneathIsReplacedAtTheNextLease() throws Exception {
    NodeConnections.Lease first = lease("px-0", "uid-a", "10.0.0.1");
    first.connection().close(); // the server went away
    NodeConnections.Lease again = lease("px-0", "uid-a", "10.0.0.1");
    assertThat(again.connection().isClosed()).isFalse();
    assertThat(again.session()).isNotEqualTo(first.session());
  }

  @Test
  void aNodeThatCannotBeReachedLeavesNothingKept() {
    assertThatThrownBy(() -> connections.lease("ns/px-0", "uid-a", "nowhere", "root", host -> {
      throw new SQLException("Connection refused");
    })).isInstanceOf(SQLException.class);
    assertThat(connections.size()).isZero();
  }

  @Test
  void atMostMaxConnectionsAreKeptTheLeastRecentlyUsedClosedFirst() throws Exception {
    List<NodeConnections.Lease> leases = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      leases.add(lease("px-" + i, "uid-" + i, "10.0.0." + i));
      clock.now = clock.now.plusSeconds(1);
    }
    lease("px-0", "uid-0", "10.0.0.0"); // px-0 used again: px-1 is now the least recently used
    clock.now = clock.now.plusSeconds(1);
    lease("px-9", "uid-9", "10.0.0.9");
    assertThat(connections.size()).isEqualTo(4);
    assertThat(leases.get(1).connection().isClosed()).isTrue();
    assertThat(leases.get(0).connection().isClosed()).isFalse();
  }

  @Test
  void aConnectionUnusedForTheIdleTimeIsClosedAndEveryOneAtClose() throws Exception {
    NodeConnections.Lease idle = lease("px-0", "uid-0", "10.0.0.0");
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    NodeConnections.Lease busy = lease("px-1", "uid-1", "10.0.0.1");
    assertThat(idle.connection().isClosed()).isTrue();
    assertThat(connections.size()).isEqualTo(1);
    connections.close();
    assertThat(busy.connection().isClosed()).isTrue();
    assertThatThrownBy(() -> lease("px-1", "uid-1", "10.0.0.1")).isInstanceOf(SQLException.class);
  }
}
