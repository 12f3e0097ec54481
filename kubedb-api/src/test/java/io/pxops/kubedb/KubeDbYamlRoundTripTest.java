package io.pxops.kubedb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The example objects of KubeDB's documented shapes read into the typed model and write back to the same JSON
 * tree: every field, named or not, survives.
 */
class KubeDbYamlRoundTripTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void perconaXtraDbRoundTripsWithUnknownFieldsKept() throws IOException {
    PerconaXtraDB db = roundTrip("perconaxtradb.yaml", PerconaXtraDB.class);

    assertThat(db.getSpec().getVersion()).isEqualTo("8.0.40");
    assertThat(db.getSpec().getReplicas()).isEqualTo(3);
    assertThat(db.getSpec().getStorageType()).isEqualTo("Durable");
    assertThat(db.getSpec().getDeletionPolicy()).isEqualTo("DoNotTerminate");
    assertThat(db.getSpec().getAdditionalProperties()).containsKey("storage");
    assertThat(db.getStatus().getPhase()).isEqualTo(DatabasePhase.READY);
    assertThat(db.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(db.getStatus().getConditions()).extracting(Condition::getType)
        .containsExactly("ProvisioningStarted", "ReplicaReady", "AcceptingConnection", "Ready", "Provisioned");
    assertThat(Conditions.isTrue(db.getStatus().getConditions(), KubeDbConditions.PROVISIONED)).isTrue();
    assertThat(KubeDbConditions.isPaused(db)).isFalse();
  }

  @Test
  void updateVersionOpsRequestRoundTrips() throws IOException {
    PerconaXtraDBOpsRequest ops = roundTrip("opsrequest-update-version.yaml", PerconaXtraDBOpsRequest.class);

    assertThat(ops.getSpec().getType()).isEqualTo(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
    assertThat(ops.getSpec().getDatabaseRef().getName()).isEqualTo("orders-px");
    assertThat(ops.getSpec().getUpdateVersion().getTargetVersion()).isEqualTo("8.4.3");
    assertThat(ops.getSpec().getTimeout()).isEqualTo("10m");
    assertThat(ops.getSpec().getApply()).isEqualTo(PerconaXtraDBOpsRequestSpec.APPLY_IF_READY);
    assertThat(ops.getSpec().getMaxRetries()).isEqualTo(1);
    assertThat(ops.getStatus().getPhase()).isEqualTo(OpsRequestPhase.PROGRESSING);
    assertThat(Conditions.find(ops.getStatus().getConditions(), "EvictPod--orders-px-0")).get()
        .satisfies(c -> {
          assertThat(c.getReason()).isNull();
          assertThat(c.getMessage()).isEqualTo("evict pod; ConditionStatus:True; PodName:orders-px-0");
          assertThat(c.getLastTransitionTime()).isEqualTo("2026-07-02T08:00:25Z");
        });
  }

  @Test
  void versionCatalogEntryRoundTripsWithSidecarImagesKept() throws IOException {
    PerconaXtraDBVersion v = roundTrip("perconaxtradbversion.yaml", PerconaXtraDBVersion.class);

    assertThat(v.getMetadata().getName()).isEqualTo("8.0.40");
    assertThat(v.getSpec().getVersion()).isEqualTo("8.0.40");
    assertThat(v.getSpec().getDb().getImage()).isEqualTo("ghcr.io/appscode-images/percona-xtradb-cluster:8.0.40");
    assertThat(v.getSpec().isDeprecatedVersion()).isFalse();
    assertThat(v.getSpec().getUpdateConstraints().getAllowlist()).containsExactly(">= 8.0.40, <= 8.4.3");
    assertThat(v.getSpec().getUpdateConstraints().getDenylist()).containsExactly("< 8.0.40");
    assertThat(v.getSpec().getAdditionalProperties()).containsKeys("coordinator", "exporter", "initContainer");
  }

  @Test
  void petSetRoundTripsWithTemplateAndStatefulSetStatus() throws IOException {
    PetSet ps = roundTrip("petset.yaml", PetSet.class);

    assertThat(ps.getSpec().getReplicas()).isEqualTo(3);
    assertThat(ps.getSpec().getServiceName()).isEqualTo("orders-px-pods");
    assertThat(ps.getSpec().getPodManagementPolicy()).isEqualTo(PetSetSpec.ORDERED_READY);
    assertThat(ps.getSpec().getUpdateStrategy().getType()).isEqualTo(PetSetSpec.ON_DELETE);
    assertThat(ps.getSpec().getSelector().getMatchLabels()).containsEntry(KubeDbNames.LABEL_INSTANCE, "orders-px");
    assertThat(ps.getSpec().getTemplate().getSpec().getContainers().get(0).getName()).isEqualTo(KubeDbNames.CONTAINER);
    assertThat(ps.getSpec().getAdditionalProperties()).containsKey("volumeClaimTemplates");
    assertThat(ps.getStatus().getUpdatedReplicas()).isEqualTo(1);
    assertThat(ps.getStatus().getUpdateRevision()).isEqualTo("orders-px-7b8a21");
  }

  @Test
  void kindsCarryKubeDbCoordinates() {
    assertThat(HasMetadata.getApiVersion(PerconaXtraDB.class)).isEqualTo("kubedb.com/v1");
    assertThat(HasMetadata.getPlural(PerconaXtraDB.class)).isEqualTo("perconaxtradbs");
    assertThat(HasMetadata.getApiVersion(PerconaXtraDBOpsRequest.class)).isEqualTo("ops.kubedb.com/v1alpha1");
    assertThat(HasMetadata.getPlural(PerconaXtraDBOpsRequest.class)).isEqualTo("perconaxtradbopsrequests");
    assertThat(HasMetadata.getApiVersion(PerconaXtraDBVersion.class)).isEqualTo("catalog.kubedb.com/v1alpha1");
    assertThat(HasMetadata.getPlural(PerconaXtraDBVersion.class)).isEqualTo("perconaxtradbversions");
    assertThat(HasMetadata.getApiVersion(PetSet.class)).isEqualTo("apps.k8s.appscode.com/v1");
    assertThat(HasMetadata.getPlural(PetSet.class)).isEqualTo("petsets");

    assertThat(new PerconaXtraDB().getScope()).isEqualTo("Namespaced");
    assertThat(new PerconaXtraDBVersion().getScope()).isEqualTo("Cluster");
    assertThat(io.fabric8.kubernetes.client.CustomResource.getShortNames(PerconaXtraDB.class)).containsExactly("px");
    assertThat(io.fabric8.kubernetes.client.CustomResource.getShortNames(PerconaXtraDBOpsRequest.class))
        .containsExactly("pxcops");
    assertThat(io.fabric8.kubernetes.client.CustomResource.getShortNames(PerconaXtraDBVersion.class))
        .containsExactly("pxversion");
  }

  /** Reads the fixture, checks that writing the typed object gives back the same JSON tree, returns it. */
  private static <T extends HasMetadata> T roundTrip(String fixture, Class<T> type) throws IOException {
    String yaml = read(fixture);
    T object = SERIALIZATION.unmarshal(yaml, type);
    JsonNode expected = JSON.readTree(JSON.writeValueAsString(YAML.readTree(yaml)));
    JsonNode actual = JSON.readTree(SERIALIZATION.asJson(object));
    assertThat(actual).as("%s written back", fixture).isEqualTo(expected);
    return object;
  }

  private static String read(String fixture) throws IOException {
    try (InputStream in = KubeDbYamlRoundTripTest.class.getResourceAsStream("/kubedb/" + fixture)) {
      assertThat(in).as(fixture).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
