package io.pxops.events;

import java.util.List;

/**
 * Answers {@link UpdatePetSet}: the pod template carries the target image (nothing restarted yet,
 * the update strategy is OnDelete).
 *
 * @param image the target database image
 * @param pods the pods as seen now, with the images they still run
 */
public record PetSetUpdated(String image, List<PodInfo> pods) implements Event {

  /** Requires the image. */
  public PetSetUpdated {
    Require.text(image, "image");
    pods = Require.list(pods);
  }
}
