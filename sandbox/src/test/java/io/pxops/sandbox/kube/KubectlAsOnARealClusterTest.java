package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.kubedb.OpsRequestStatus;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.kubedb.PerconaXtraDBStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the local API alone, as a new user tries it: KubeDB's own v1alpha2 example applies with
 * validation on (no {@code --validate=false}) and reads back as v1; an unknown field is refused the way a real
 * cluster refuses it; {@code kubectl get} prints KubeDB's printer columns and the pod columns.
 */
@ExtendWith(KubernetesApiExtension.class)
class KubectlAsOnARealClusterTest {

  /** KubeDB's documentation example, docs/guides/percona-xtradb/quickstart/overview/examples/sample-pxc-v1alpha2.yaml. */
  static final String KUBEDB_V1ALPHA2_EXAMPLE = """
      apiVersion: kubedb.com/v1alpha2
      kind: PerconaXtraDB
      metadata:
        name: sample-pxc
        namespace: demo
      spec:
        version: "8.4.3"
        storageType: Durable
        storage:
          storageClassName: "standard"
          accessModes:
            - ReadWriteOnce
          resources:
            requests:
              storage: 1Gi
        terminationPolicy: Delete
      """;

  @BeforeAll
  static void kubectlIsInstalled() {
    Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed at /usr/bin/kubectl");
  }

  @Test
  void kubeDbsV1alpha2ExampleAppliesWithValidationAndReadsBackAsV1(MockKubernetes api, KubernetesClient client,
      @TempDir Path dir) throws Exception {
    Kubectl kubectl = Kubectl.on(api, "demo", dir);

    Kubectl.Result applied = kubectl.run("apply", "-f", kubectl.file("sample-pxc.yaml", KUBEDB_V1ALPHA2_EXAMPLE)
        .toString());

    assertThat(applied.exitCode()).as(applied.output()).isZero();
    assertThat(applied.output()).contains("perconaxtradb.kubedb.com/sample-pxc created");
    PerconaXtraDB stored = client.resources(PerconaXtraDB.class).inNamespace("demo").withName("sample-pxc").get();
    assertThat(stored.getApiVersion()).isEqualTo("kubedb.com/v1");
    assertThat(stored.getSpec().getDeletionPolicy()).as("v1alpha2's terminationPolicy is v1's deletionPolicy")
        .isEqualTo("Delete");
    assertThat(stored.getSpec().getVersion()).isEqualTo("8.4.3");
    Kubectl.Result asV1alpha2 = kubectl.run("get", "perconaxtradbs.v1alpha2.kubedb.com", "sample-pxc", "-o",
        "jsonpath={.apiVersion} {.spec.terminationPolicy} {.spec.deletionPolicy}");
    assertThat(asV1alpha2.output()).isEqualTo("kubedb.com/v1alpha2 Delete ");
    Kubectl.Result again = kubectl.run("apply", "-f", dir.resolve("sample-pxc.yaml").toString());
    assertThat(again.output()).as("a second apply patches through v1alpha2 and changes nothing")
        .contains("perconaxtradb.kubedb.com/sample-pxc unchanged");
  }

  @Test
  void unknownFieldsAreRefusedAsByARealServer(MockKubernetes api, KubernetesClient client, @TempDir Path dir)
      throws Exception {
    Kubectl kubectl = Kubectl.on(api, "demo", dir);
    String typo = KUBEDB_V1ALPHA2_EXAMPLE.replace("name: sample-pxc", "name: typo-pxc")
        .replace("terminationPolicy:", "terminationPolicyy:");
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: typo-pod
        spec:
          containers:
          - name: db
            imagee: mariadb
        """;

    Kubectl.Result database = kubectl.run("apply", "-f", kubectl.file("typo.yaml", typo).toString());
    Kubectl.Result builtIn = kubectl.run("apply", "-f", kubectl.file("pod.yaml", pod).toString());

    assertThat(database.exitCode()).isNotZero();
    assertThat(database.output()).contains("Error from server (BadRequest): error when creating",
        "PerconaXtraDB in version \"v1alpha2\" cannot be handled as a PerconaXtraDB: strict decoding error: "
            + "unknown field \"spec.terminationPolicyy\"");
    assertThat(builtIn.exitCode()).isNotZero();
    assertThat(builtIn.output()).contains("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
        + "unknown field \"spec.containers[0].imagee\"");
    Kubectl.Result badValue = kubectl.run("apply", "-f", kubectl.file("enum.yaml", KUBEDB_V1ALPHA2_EXAMPLE
        .replace("name: sample-pxc", "name: enum-pxc").replace("terminationPolicy: Delete", "terminationPolicy: Delet"))
        .toString());
    assertThat(badValue.exitCode()).isNotZero();
    assertThat(badValue.output()).as("kubectl words a 422 with causes from its details, as against a real server")
        .contains("The PerconaXtraDB \"enum-pxc\" is invalid: spec.terminationPolicy: Unsupported value: \"Delet\": "
            + "supported values: \"Halt\", \"Delete\", \"WipeOut\", \"DoNotTerminate\"");
    assertThat(client.resources(PerconaXtraDB.class).inNamespace("demo").withName("typo-pxc").get()).isNull();
    assertThat(client.pods().inNamespace("demo").withName("typo-pod").get()).isNull();

    Kubectl.Result warned = kubectl.run("apply", "--validate=warn", "-f", dir.resolve("pod.yaml").toString());
    assertThat(warned.exitCode()).as(warned.output()).isZero();
    assertThat(warned.output()).contains("Warning: unknown field \"spec.containers[0].imagee\"", "created");
    Kubectl.Result correct = kubectl.run("apply", "-f", kubectl.file("good-pod.yaml",
        pod.replace("typo-pod", "good-pod").replace("imagee", "image")).toString());
    assertThat(correct.exitCode()).as(correct.output()).isZero();
    Kubectl.Result reapplied = kubectl.run("apply", "-f", kubectl.file("good-pod.yaml",
        pod.replace("typo-pod", "good-pod").replace("imagee: mariadb", "image: mariadb:11")).toString());
    assertThat(reapplied.output()).as("a second apply of a built-in kind: a strategic merge patch")
        .contains("pod/good-pod configured");
    assertThat(client.pods().inNamespace("demo").withName("good-pod").get().getSpec().getContainers())
        .singleElement().satisfies(c -> assertThat(c.getImage()).isEqualTo("mariadb:11"));
    Kubectl.Result builtInKinds = kubectl.run("apply", "-f", kubectl.file("budget-and-secret.yaml", """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: orders
        spec:
          maxUnavailable: 1
          selector:
            matchLabels:
              app.kubernetes.io/instance: orders
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: orders-auth
        type: kubernetes.io/basic-auth
        stringData:
          username: root
        """).toString());
    assertThat(builtInKinds.exitCode()).as(builtInKinds.output()).isZero();
    assertThat(builtInKinds.output()).contains("poddisruptionbudget.policy/orders created",
        "secret/orders-auth created");
    Kubectl.Result budgets = kubectl.run("get", "pdb");
    assertThat(budgets.output().lines().map(String::trim).toList()).as(budgets.output())
        .first().asString().matches("NAME\\s+MIN AVAILABLE\\s+MAX UNAVAILABLE\\s+ALLOWED DISRUPTIONS\\s+AGE");
    assertThat(budgets.output().lines().skip(1).findFirst().orElseThrow()).matches("orders\\s+N/A\\s+1\\s+0\\s+\\S+");
  }

  @Test
  void getPrintsKubeDbsColumnsAndThePodColumns(MockKubernetes api, KubernetesClient client, @TempDir Path dir)
      throws Exception {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("10.11.13");
    db.setSpec(spec);
    db = client.resources(PerconaXtraDB.class).resource(db).create();
    PerconaXtraDBStatus status = new PerconaXtraDBStatus();
    status.setPhase("Ready");
    db.setStatus(status);
    client.resources(PerconaXtraDB.class).resource(db).updateStatus();
    PerconaXtraDBOpsRequest ops = new PerconaXtraDBOpsRequest();
    ops.setMetadata(new ObjectMetaBuilder().withName("orders-update").withNamespace("shop").build());
    PerconaXtraDBOpsRequestSpec opsSpec = new PerconaXtraDBOpsRequestSpec();
    opsSpec.setType(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
    opsSpec.setDatabaseRef(new LocalObjectReference("orders"));
    opsSpec.setUpdateVersion(new PerconaXtraDBOpsRequestSpec.UpdateVersionSpec("10.11.14"));
    ops.setSpec(opsSpec);
    ops = client.resources(PerconaXtraDBOpsRequest.class).resource(ops).create();
    OpsRequestStatus opsStatus = new OpsRequestStatus();
    opsStatus.setPhase("Progressing");
    ops.setStatus(opsStatus);
    client.resources(PerconaXtraDBOpsRequest.class).resource(ops).updateStatus();
    String restartedAt = Instant.now().minus(20, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    Pod running = client.pods().resource(pod("orders-0", new ContainerStatusBuilder().withName("db").withReady(true)
        .withRestartCount(2).withNewState().withNewRunning().endRunning().endState().withNewLastState()
        .withNewTerminated().withFinishedAt(restartedAt).withExitCode(137).endTerminated().endLastState().build()))
        .create();
    client.pods().resource(running).updateStatus();
    Pod crashing = client.pods().resource(pod("orders-1", new ContainerStatusBuilder().withName("db")
        .withReady(false).withRestartCount(0).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
        .endWaiting().endState().build())).create();
    client.pods().resource(crashing).updateStatus();
    Kubectl kubectl = Kubectl.on(api, "shop", dir);

    Kubectl.Result get = kubectl.run("get", "px,pxcops,pods");
    Kubectl.Result category = kubectl.run("get", "kubedb");
    Kubectl.Result all = kubectl.run("get", "all");

    assertThat(get.exitCode()).as(get.output()).isZero();
    List<List<String>> lines = get.output().lines().map(l -> Arrays.asList(l.trim().split("\\s{2,}"))).toList();
    assertThat(lines).as(get.output()).contains(List.of("NAME", "VERSION", "STATUS", "AGE"),
        List.of("NAME", "TYPE", "STATUS", "AGE"), List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
    assertThat(row(lines, "perconaxtradb.kubedb.com/orders")).startsWith("10.11.13", "Ready");
    assertThat(row(lines, "perconaxtradbopsrequest.ops.kubedb.com/orders-update"))
        .startsWith("UpdateVersion", "Progressing");
    assertThat(row(lines, "pod/orders-0")).startsWith("1/1", "Running", "2 (20h ago)");
    assertThat(row(lines, "pod/orders-1")).startsWith("0/1", "CrashLoopBackOff", "0");
    assertThat(category.output()).as("KubeDB's category kubedb")
        .contains("perconaxtradb.kubedb.com/orders", "perconaxtradbopsrequest.ops.kubedb.com/orders-update")
        .doesNotContain("pod/");
    assertThat(all.output()).as("category all: pods, and the kinds KubeDB puts in it")
        .contains("pod/orders-0", "perconaxtradb.kubedb.com/orders").doesNotContain("perconaxtradbopsrequest");
  }

  /** The cells after NAME of the line for {@code name}. */
  private static List<String> row(List<List<String>> lines, String name) {
    return lines.stream().filter(l -> l.get(0).equals(name)).findFirst().map(l -> l.subList(1, l.size()))
        .orElseThrow(() -> new AssertionError("no line for " + name + " in " + lines));
  }

  private static Pod pod(String name, io.fabric8.kubernetes.api.model.ContainerStatus status) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
        .withNewSpec().addNewContainer().withName("db").withImage("mariadb").endContainer().endSpec()
        .withNewStatus().withPhase("Running").withContainerStatuses(status).endStatus().build();
  }
}
