package io.pxops.requestingest.dryrun;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.JsonCodec;
import io.pxops.events.PodInfo;
import io.pxops.events.RequestSpec;
import io.pxops.events.plan.StepPlan;
import io.pxops.events.plan.UpdatePreview;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDBVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One update's preview over the live cluster: the database's pods as they are now (the same label selector, Ready
 * condition and container the step runners read) and the target catalog entry's image, handed to the pure
 * {@link UpdatePreview}. Reads only (a list of pods, a get of a catalog entry); writes nothing.
 */
public final class LivePreviews {

  private final KubernetesClient client;

  /**
   * A reader.
   *
   * @param client the door's Kubernetes client
   */
  public LivePreviews(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The preview of an admitted request.
   *
   * @param spec the request as admission admitted it
   * @return its steps and pod order now
   */
  public UpdatePreview preview(RequestSpec spec) {
    PerconaXtraDBVersion entry = client.resources(PerconaXtraDBVersion.class).withName(spec.targetVersion()).get();
    String image = entry == null || entry.getSpec() == null || entry.getSpec().getDb() == null
        || entry.getSpec().getDb().getImage() == null ? "" : entry.getSpec().getDb().getImage();
    List<PodInfo> pods = new ArrayList<>();
    for (Pod p : client.pods().inNamespace(spec.namespace()).withLabels(KubeDbNames.selectorLabels(spec.database()))
        .list().getItems()) {
      String name = p.getMetadata().getName();
      int ordinal;
      try {
        ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
      } catch (NumberFormatException e) {
        continue; // not a PetSet pod of this database: the update plan never restarts it either
      }
      pods.add(new PodInfo(name, ordinal, ready(p), imageOf(p)));
    }
    pods.sort(Comparator.comparingInt(PodInfo::ordinal));
    return UpdatePreview.of(spec, pods, image.isEmpty() ? "(unknown image)" : image);
  }

  /**
   * A preview as JSON: {@code steps} ({@code {"step": "EvictPod", "pod": "orders-2"}}, KubeDB's condition names)
   * and {@code podOrder} ({@code {"name", "ordinal", "ready", "image"}}).
   *
   * @param preview the preview
   * @param into the object to add both to
   */
  public static void write(UpdatePreview preview, ObjectNode into) {
    ArrayNode steps = into.putArray("steps");
    for (StepPlan.Position p : preview.steps()) {
      ObjectNode s = steps.addObject().put("step", p.step().conditionPrefix());
      if (p.pod() != null) {
        s.put("pod", p.pod());
      }
    }
    ArrayNode pods = into.putArray("podOrder");
    preview.podOrder().forEach(p -> pods.addObject().put("name", p.name()).put("ordinal", p.ordinal())
        .put("ready", p.ready()).put("image", p.image()));
  }

  /** An empty object to write into. */
  static ObjectNode object() {
    return JsonCodec.shared().mapper().createObjectNode();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String imageOf(Pod pod) {
    String image = pod.getSpec() == null ? null : pod.getSpec().getContainers().stream()
        .filter(c -> KubeDbNames.CONTAINER.equals(c.getName())).map(Container::getImage).findFirst().orElse(null);
    return image == null || image.isEmpty() ? "(none)" : image;
  }
}
