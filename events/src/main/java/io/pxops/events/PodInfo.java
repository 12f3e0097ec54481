package io.pxops.events;

/**
 * What a runner saw of one database pod.
 *
 * @param name the pod name, e.g. {@code "orders-2"}
 * @param ordinal the PetSet ordinal (the number at the end of the name), 0 or more
 * @param ready whether the pod's Ready condition is True
 * @param image the database container's image as running now
 */
public record PodInfo(String name, int ordinal, boolean ready, String image) {

  /** Validates every field. */
  public PodInfo {
    Require.text(name, "pod.name");
    Require.atLeast(ordinal, 0, "pod.ordinal");
    Require.text(image, "pod.image");
  }
}
