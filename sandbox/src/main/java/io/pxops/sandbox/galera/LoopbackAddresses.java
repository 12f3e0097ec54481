package io.pxops.sandbox.galera;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out blocks of loopback addresses for pods: {@code 127.77.<k>.1 .. 127.77.<k>.n}. On Linux the whole of
 * {@code 127.0.0.0/8} reaches the host without any setup, so each node gets an address of its own, as each pod gets
 * a pod IP, and all nodes use the standard ports.
 */
public final class LoopbackAddresses {

  private static final Set<Integer> TAKEN = new HashSet<>();

  private LoopbackAddresses() {
  }

  /**
   * A block of {@code n} addresses whose SQL and gcomm ports nobody listens on, not handed out before by this JVM.
   *
   * @throws IllegalStateException when no free block is found
   */
  public static synchronized List<String> freeBlock(int n) {
    if (n < 1 || n > 250) {
      throw new IllegalArgumentException("between 1 and 250 addresses, not " + n);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      int k = 1 + random.nextInt(250);
      if (TAKEN.contains(k)) {
        continue;
      }
      List<String> block = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        block.add("127.77." + k + "." + i);
      }
      if (block.stream().allMatch(LoopbackAddresses::free)) {
        TAKEN.add(k);
        return List.copyOf(block);
      }
    }
    throw new IllegalStateException("no free block of " + n + " loopback addresses under 127.77.0.0/16");
  }

  private static boolean free(String address) {
    for (int port : new int[] {GaleraNode.SQL_PORT, GaleraNode.GCOMM_PORT}) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
