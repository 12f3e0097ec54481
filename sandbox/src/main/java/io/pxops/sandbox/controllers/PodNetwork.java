package io.pxops.sandbox.controllers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives each pod of a PetSet its own loopback address, so that every database node listens on the standard ports
 * (3306, 4567, 4568, 4444) of its own address, as pods do in a real cluster.
 *
 * <p>Scheme: the n-th PetSet seen (n = 0, 1, ...; in the order first asked for, keyed by namespace and name) gets the
 * block {@code 127.<77 + n / 254>.<1 + n % 254>.0/24}, and its pod with ordinal i gets {@code <block>.<i + 1>}: the
 * first database's pods are 127.77.1.1, 127.77.1.2, 127.77.1.3, the second's 127.77.2.1, ... Up to 253 pods per
 * PetSet and about 45,000 PetSets. The base 127.77 keeps clear of 127.0.0.1 (where the Kubernetes API, the Kafka
 * broker and everything else of the local world listen) and of the rest of 127.0.0.0/16. On Linux the whole of
 * 127.0.0.0/8 is routed to the loopback interface, so these addresses work without any setup.
 *
 * <p>An address is stable for the life of the allocator: a re-created pod keeps its address, as a PetSet pod keeps
 * its identity. Blocks are never reused.
 */
public final class PodNetwork {

  /** The second octet of the first block. */
  public static final int BASE_OCTET = 77;
  /** The highest ordinal that has an address. */
  public static final int MAX_ORDINAL = 253;

  private static final int BLOCKS_PER_OCTET = 254;
  private static final int MAX_BLOCKS = (255 - BASE_OCTET) * BLOCKS_PER_OCTET;

  /** How many blocks apart two processes' first blocks are at least (unless their pids agree modulo 2,000). */
  static final int BLOCKS_PER_PROCESS = 20;

  private final Map<String, Integer> blocks = new ConcurrentHashMap<>();
  private final AtomicInteger nextBlock = new AtomicInteger();
  private final int firstBlock;

  /** Blocks from the first one ({@code 127.77.1.0/24}) on. */
  public PodNetwork() {
    this(0);
  }

  /**
   * Blocks from {@code firstBlock} on, wrapping round after the last.
   *
   * @param firstBlock the first block (0 is {@code 127.77.1.0/24})
   */
  public PodNetwork(int firstBlock) {
    this.firstBlock = Math.floorMod(firstBlock, MAX_BLOCKS);
  }

  /**
   * A network whose blocks start where this process's id says: two local worlds in two processes on one machine (a
   * demo beside a test run, two modules' tests at once) would otherwise both give their first database
   * 127.77.1.x, and the second's nodes could not bind their ports (they crash-looped). Twenty blocks a process apart.
   */
  public static PodNetwork forThisProcess() {
    return new PodNetwork((int) (ProcessHandle.current().pid() % 2_000) * BLOCKS_PER_PROCESS);
  }

  /** The address of pod {@code <set>-<ordinal>} of PetSet {@code set} in {@code namespace}. */
  public String addressOf(String namespace, String set, int ordinal) {
    if (ordinal < 0 || ordinal > MAX_ORDINAL) {
      throw new IllegalArgumentException("ordinal " + ordinal + " has no pod address (0.." + MAX_ORDINAL + ")");
    }
    int block = blocks.computeIfAbsent(namespace + "/" + set, k -> {
      int n = nextBlock.getAndIncrement();
      if (n >= MAX_BLOCKS) {
        throw new IllegalStateException("no pod address block left for " + k);
      }
      return (firstBlock + n) % MAX_BLOCKS;
    });
    return "127." + (BASE_OCTET + block / BLOCKS_PER_OCTET) + "." + (1 + block % BLOCKS_PER_OCTET) + "."
        + (ordinal + 1);
  }

  /** The addresses of pods {@code 0 .. replicas-1} of a PetSet, in ordinal order. */
  public List<String> addressesOf(String namespace, String set, int replicas) {
    List<String> addresses = new ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      addresses.add(addressOf(namespace, set, i));
    }
    return addresses;
  }
}
