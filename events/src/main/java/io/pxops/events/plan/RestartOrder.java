package io.pxops.events.plan;

import io.pxops.events.PodInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order in which pods are restarted, as a pure function of what the runner last saw.
 *
 * <ol>
 *   <li>Pods already done in an earlier attempt are left out.
 *   <li>Pods that are Ready and already run the target image are left out: they are updated
 *       (level-based; a pod on the target image that is not Ready stays in, to be looked at).
 *   <li>Pods that are not Ready come first: restarting a healthy pod while another is down would
 *       take two nodes down.
 *   <li>Then the rest, highest ordinal first, so that pod 0, which usually takes the writes, goes
 *       last (the Percona operator's order).
 * </ol>
 */
public final class RestartOrder {

  private static final Comparator<PodInfo> ORDER =
      Comparator.comparing(PodInfo::ready)
          .thenComparing(Comparator.comparingInt(PodInfo::ordinal).reversed())
          .thenComparing(PodInfo::name);

  private RestartOrder() {}

  /**
   * Computes the restart order.
   *
   * @param pods the pods as last reported
   * @param targetImage the image every pod must end up running
   * @param done names of pods already restarted and verified
   * @return the pods still to restart, first to last
   */
  public static List<PodInfo> of(List<PodInfo> pods, String targetImage, Set<String> done) {
    return pods.stream()
        .filter(pod -> !done.contains(pod.name()))
        .filter(pod -> !(pod.ready() && pod.image().equals(targetImage)))
        .sorted(ORDER)
        .collect(Collectors.toUnmodifiableList());
  }
}
