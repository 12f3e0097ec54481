package io.pxops.steprunners.runners;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.Envelope;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.UpdatePetSet;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.sandbox.kube.KubernetesApiExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UpdatePetSet ends only once the PetSet's controller has observed the new template: on the local API with no
 * controller running, the controller's {@code status.observedGeneration} is whatever the test writes. Without the
 * wait, the next step's eviction could reach a controller still holding the old template, which brings the pod back
 * on the old image (LocalWorldIT saw it under load), and the update then waits on that pod until the step fails.
 */
@ExtendWith(KubernetesApiExtension.class)
class UpdatePetSetObservedTest {

  private static final String NS = KubernetesApiExtension.NAMESPACE;

  private static <T> T load(KubernetesClient client, Class<T> type, String yaml) {
    return client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(yaml.getBytes(
        StandardCharsets.UTF_8)), type);
  }

  @Test
  void theStepWaitsUntilThePetSetsControllerHasObservedTheNewTemplate(KubernetesClient client) {
    client.resources(PerconaXtraDBVersion.class).resource(load(client, PerconaXtraDBVersion.class, """
        apiVersion: catalog.kubedb.com/v1alpha1
        kind: PerconaXtraDBVersion
        metadata: {name: 8.0.40}
        spec: {version: 8.0.40, db: {image: "img:8.0.40"}}
        """)).create();
    PetSet created = client.resources(PetSet.class).inNamespace(NS).resource(load(client, PetSet.class, """
        apiVersion: apps.k8s.appscode.com/v1
        kind: PetSet
        metadata: {name: shop}
        spec:
          replicas: 3
          updateStrategy: {type: OnDelete}
          template:
            spec:
              containers: [{name: perconaxtradb, image: "img:8.0.36"}]
        """)).create();
    // the controller has seen the PetSet as created
    observe(client, created.getMetadata().getGeneration());

    StepRunners runners = new StepRunners(client, Clock.systemUTC(), Duration.ofMinutes(2));
    Envelope command = Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/shop", Instant.now(), null,
        new UpdatePetSet("8.0.40", Duration.ofMinutes(5)));
    Attempt first = runners.attempt(command);
    PetSet patched = client.resources(PetSet.class).inNamespace(NS).withName("shop").get();
    assertThat(patched.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("img:8.0.40");
    assertThat(patched.getMetadata().getGeneration()).isGreaterThan(created.getMetadata().getGeneration());
    assertThat(first).isInstanceOfSatisfying(Attempt.NotYet.class, n -> {
      assertThat(n.detail()).contains("has not yet observed generation " + patched.getMetadata().getGeneration(),
          "old template");
      // looked at again soon by the service's scheduler: the attempt itself never waits
      assertThat(n.lookAgainIn()).isEqualTo(StepRunners.OBSERVE_EVERY).isLessThan(Duration.ofMillis(100));
    });

    observe(client, patched.getMetadata().getGeneration());
    assertThat(runners.attempt(command)).isInstanceOfSatisfying(Attempt.Done.class, d -> assertThat(
        ((PetSetUpdated) d.result()).image()).isEqualTo("img:8.0.40"));
  }

  private static void observe(KubernetesClient client, long generation) {
    PetSet ps = client.resources(PetSet.class).inNamespace(NS).withName("shop").get();
    StatefulSetStatus status = new StatefulSetStatus();
    status.setObservedGeneration(generation);
    status.setReplicas(3);
    ps.setStatus(status);
    client.resources(PetSet.class).inNamespace(NS).resource(ps).updateStatus();
  }
}
