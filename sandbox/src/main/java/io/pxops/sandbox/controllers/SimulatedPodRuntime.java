package io.pxops.sandbox.controllers;

import io.pxops.sandbox.runtime.PodIdentity;
import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import io.pxops.sandbox.runtime.PodRuntime;
import io.pxops.sandbox.runtime.ServerImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A <b>simulation</b> of pod processes: it starts no process and runs no database. A pod it is asked to run becomes
 * {@code READY} (reporting {@code wsrep_local_state_comment = Synced}) a fixed delay after it was started; before
 * that it is {@code STARTING} ({@code Joining}). An image that names no local server build (see
 * {@link ServerImages}), or a build outside the given set, is {@code STUCK} with reason {@code ImagePullBackOff}, as
 * an unpullable image is in a real cluster.
 *
 * <p>Nothing here says anything about Galera: use it for fleet-scale benchmarks of the pipeline and for fast tests
 * of the controllers, never as evidence that an update is safe. The real runtime runs MariaDB+Galera processes.
 */
public final class SimulatedPodRuntime implements PodRuntime {

  private final Duration readyDelay;
  private final Set<String> builds;
  private final Clock clock;
  private final Map<String, Simulated> pods = new ConcurrentHashMap<>();

  private record Simulated(String image, Optional<String> build, Instant startedAt, boolean stopped) {
  }

  /** Pods become ready {@code readyDelay} after start; every local server image counts as available. */
  public SimulatedPodRuntime(Duration readyDelay) {
    this(readyDelay, Set.of(), Clock.systemUTC());
  }

  /**
   * @param readyDelay how long a started pod takes to become ready
   * @param builds the server builds whose images can start; empty = any image {@link ServerImages} understands
   * @param clock the time source
   */
  public SimulatedPodRuntime(Duration readyDelay, Set<String> builds, Clock clock) {
    this.readyDelay = readyDelay;
    this.builds = Set.copyOf(builds);
    this.clock = clock;
  }

  @Override
  public void ensureRunning(PodIdentity pod, String image) {
    pods.compute(pod.key(), (k, current) -> {
      if (current != null && !current.stopped()) {
        return current;
      }
      Optional<String> build = ServerImages.buildVersionOf(image).filter(v -> builds.isEmpty() || builds.contains(v));
      return new Simulated(image, build, clock.instant(), false);
    });
  }

  @Override
  public void stop(PodIdentity pod) {
    pods.computeIfPresent(pod.key(), (k, p) -> new Simulated(p.image(), p.build(), p.startedAt(), true));
  }

  @Override
  public void kill(PodIdentity pod) {
    stop(pod);
  }

  @Override
  public PodProcessState state(PodIdentity pod) {
    Simulated p = pods.get(pod.key());
    if (p == null) {
      return PodProcessState.notStarted();
    }
    if (p.stopped()) {
      return new PodProcessState(Phase.STOPPED, null, "simulated process stopped", p.image(), null, null);
    }
    if (p.build().isEmpty()) {
      return new PodProcessState(Phase.STUCK, "ImagePullBackOff",
          "Back-off pulling image \"" + p.image() + "\": no local server build for it", p.image(), null, null);
    }
    String version = p.build().get();
    if (clock.instant().isBefore(p.startedAt().plus(readyDelay))) {
      return new PodProcessState(Phase.STARTING, "Starting", "simulated start", p.image(), version, "Joining");
    }
    return new PodProcessState(Phase.READY, null, null, p.image(), version, "Synced");
  }

  @Override
  public void close() {
    pods.clear();
  }
}
