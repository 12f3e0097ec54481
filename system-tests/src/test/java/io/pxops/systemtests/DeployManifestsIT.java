package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.requestingest.IngestConfig;
import io.pxops.sandbox.kube.MockKubernetes;
import io.pxops.sandbox.kube.ServedKind;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.statusprojector.ProjectorConfig;
import io.pxops.steprunners.coordinator.CoordinatorConfig;
import io.pxops.verifier.VerifierConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/} as a user installs it: rendered by the real {@code kubectl kustomize}, checked for what makes it
 * safe to run (each workload with its own service account, probes on the endpoints the services serve, requests
 * and limits, a disruption budget, a configuration each service accepts; the verifier's network reach limited to
 * the database pods' 3306 besides DNS, Kafka and the API server), then applied with {@code kubectl apply -k} to the
 * local API. The RBAC rules themselves are proven by {@code RbacRequestLogIT} from the system tests' requests.
 */
class DeployManifestsIT {

  /** The workloads, by the service account each must run as (the names LocalPipeline's services record under). */
  private static final Map<String, String> WORKLOADS = Map.of(
      "pxops-request-ingest", "ingest",
      "pxops-coordinator", "coordinator",
      "pxops-step-runners", "runners",
      "pxops-verifier", "verifier",
      "pxops-status-projector", "projector");

  /** Ports other than the database's that any pxops pod may reach: DNS, Kafka, the API server. */
  private static final Set<Integer> INFRASTRUCTURE_PORTS = Set.of(53, 9092, 9093, 443, 6443);
  private static final String PXC_POD_LABEL = "app.kubernetes.io/name";
  private static final String PXC_POD_VALUE = "perconaxtradbs.kubedb.com";

  private static String rendered;
  private static List<HasMetadata> objects;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeTrue(DeployManifests.kubectlInstalled(),
        "kubectl is not installed at " + DeployManifests.KUBECTL + ": deploy/ cannot be rendered as a user would");
    rendered = DeployManifests.render();
    objects = DeployManifests.parse(rendered);
  }

  @Test
  void everyWorkloadRunsAsItsOwnServiceAccountWithProbesLimitsAndABudget() {
    Map<String, PodTemplateSpec> templates = templates();
    assertThat(templates.keySet()).containsExactlyInAnyOrderElementsOf(WORKLOADS.keySet());
    Set<String> accounts = new HashSet<>();
    for (Map.Entry<String, PodTemplateSpec> w : templates.entrySet()) {
      PodSpec pod = w.getValue().getSpec();
      String account = pod.getServiceAccountName();
      assertThat(account).as(w.getKey() + " service account").isEqualTo(w.getKey());
      assertThat(accounts.add(account)).as(w.getKey() + " shares its service account").isTrue();
      assertThat(LocalPipeline.serviceAccountOf(WORKLOADS.get(w.getKey())))
          .as("the account the local world records " + w.getKey() + "'s requests under")
          .isEqualTo("system:serviceaccount:pxops:" + account);
      assertThat(of(ServiceAccount.class)).as("ServiceAccount " + account)
          .anyMatch(sa -> sa.getMetadata().getName().equals(account)
              && "pxops".equals(sa.getMetadata().getNamespace()));
      assertThat(pod.getContainers()).hasSize(1);
      Container c = pod.getContainers().get(0);
      assertProbe(w.getKey() + " liveness", c.getLivenessProbe(), "/livez", c);
      assertProbe(w.getKey() + " readiness", c.getReadinessProbe(), "/readyz", c);
      for (String kind : List.of("cpu", "memory")) {
        Quantity request = c.getResources().getRequests().get(kind);
        Quantity limit = c.getResources().getLimits().get(kind);
        assertThat(request).as(w.getKey() + " requests " + kind).isNotNull();
        assertThat(limit).as(w.getKey() + " limits " + kind).isNotNull();
        assertThat(limit.getNumericalAmount()).as(w.getKey() + " " + kind + " limit >= request")
            .isGreaterThanOrEqualTo(request.getNumericalAmount());
      }
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      Map<String, String> labels = w.getValue().getMetadata().getLabels();
      assertThat(of(PodDisruptionBudget.class)).as(w.getKey() + " has a PodDisruptionBudget")
          .anyMatch(b -> labels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet())
              && b.getSpec().getMaxUnavailable() != null);
    }
  }

  @Test
  void imagesAreTheOnesBuildImagesBuilds() throws Exception {
    // scripts/build-images.sh names each image "pxops/<image>" from its SERVICES table
    String script = Files.readString(DeployManifests.deployDir().resolveSibling("scripts").resolve("build-images.sh"));
    Set<String> built = new TreeSet<>();
    Matcher m = Pattern.compile("\"[a-z-]+ (pxops-[a-z-]+) io\\.pxops\\.").matcher(script);
    while (m.find()) {
      built.add("pxops/" + m.group(1) + ":0.1.0");
    }
    assertThat(built).hasSize(5);
    Set<String> used = new TreeSet<>();
    templates().values().forEach(t -> used.add(t.getSpec().getContainers().get(0).getImage()));
    assertThat(used).isEqualTo(built);
  }

  @Test
  void eachServiceAcceptsItsConfiguration() {
    Map<String, PodTemplateSpec> templates = templates();
    // as the services read them at start-up: a bad value or name would end the pod with exit 2
    IngestConfig ingest = IngestConfig.fromEnv(env(templates.get("pxops-request-ingest")));
    assertThat(ingest.httpPort()).isEqualTo(containerPort(templates.get("pxops-request-ingest")));
    ProjectorConfig projector = ProjectorConfig.fromEnv(env(templates.get("pxops-status-projector")));
    assertThat(projector.httpPort()).isEqualTo(containerPort(templates.get("pxops-status-projector")));
    CoordinatorConfig coordinator = CoordinatorConfig.fromEnv(env(templates.get("pxops-coordinator")));
    VerifierConfig.fromEnv(env(templates.get("pxops-verifier")));
    for (String stateful : List.of("pxops-coordinator", "pxops-status-projector")) {
      StatefulSet set = named(StatefulSet.class, stateful);
      String stateDir = env(templates.get(stateful)).get("PXOPS_STATE_DIR");
      String claim = set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
      assertThat(set.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
          .as(stateful + " keeps its state (" + stateDir + ") on its volume")
          .anyMatch(v -> v.getName().equals(claim) && stateDir.startsWith(v.getMountPath() + "/"));
    }
    assertThat(coordinator.stateDir().toString()).isEqualTo("/var/lib/pxops/state");
  }

  @Test
  void theVerifierReachesDatabasePodsOn3306AndOnlyTheInfrastructureBesides() {
    for (Map.Entry<String, PodTemplateSpec> w : templates().entrySet()) {
      Map<String, String> labels = w.getValue().getMetadata().getLabels();
      List<NetworkPolicy> selecting = of(NetworkPolicy.class).stream()
          .filter(p -> labels.entrySet().containsAll(matchLabels(p.getSpec().getPodSelector()).entrySet()))
          .toList();
      assertThat(selecting).as(w.getKey() + ": a default deny of both directions")
          .anyMatch(p -> matchLabels(p.getSpec().getPodSelector()).isEmpty()
              && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
              && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty());
      List<NetworkPolicyEgressRule> egress = new ArrayList<>();
      selecting.forEach(p -> egress.addAll(p.getSpec().getEgress()));
      boolean verifier = w.getKey().equals("pxops-verifier");
      boolean reachesDatabases = false;
      for (NetworkPolicyEgressRule rule : egress) {
        assertThat(rule.getPorts()).as(w.getKey() + ": an egress rule without ports opens every port: " + rule)
            .isNotEmpty();
        for (NetworkPolicyPort port : rule.getPorts()) {
          int number = port.getPort().getIntVal();
          if (number == 3306) {
            assertThat(verifier).as(w.getKey() + " may not reach 3306").isTrue();
            assertThat(rule.getTo()).as("the verifier's 3306 goes to the database pods only").isNotEmpty()
                .allMatch(DeployManifestsIT::isDatabasePods);
            reachesDatabases = true;
          } else if (w.getKey().equals("pxops-status-projector") && number == 8081) {
            // the dashboard forwards Replay and Cancel to the ingest's door, and to nothing else on that port
            assertThat(rule.getTo()).as("the projector's 8081 goes to the ingest's pods only").isNotEmpty()
                .allMatch(peer -> "pxops-request-ingest".equals(matchLabels(peer.getPodSelector())
                    .get("app.kubernetes.io/name")));
          } else if (!(w.getKey().equals("pxops-status-projector") && number == 8082)) {
            assertThat(INFRASTRUCTURE_PORTS).as(w.getKey() + " egress port " + number).contains(number);
          }
        }
      }
      assertThat(reachesDatabases).as(w.getKey() + " reaches the databases").isEqualTo(verifier);
    }
    // the HTTP doors are reachable on their ports
    assertThat(ingressPorts("pxops-request-ingest")).contains(8081);
    assertThat(ingressPorts("pxops-status-projector")).contains(8082);
    assertThat(ingressPorts("pxops-verifier")).isEmpty();
    assertThat(named(Service.class, "pxops-request-ingest").getSpec().getPorts().get(0).getPort()).isEqualTo(8081);
    assertThat(named(Service.class, "pxops-status-projector").getSpec().getPorts().get(0).getPort())
        .isEqualTo(8082);
  }

  @Test
  void rbacGrantsNoWildcardNoSecretsButTheVerifiersAndNothingToTheCoordinator() {
    for (ClusterRole role : of(ClusterRole.class)) {
      role.getRules().forEach(r -> {
        assertThat(r.getVerbs()).as(role.getMetadata().getName()).doesNotContain("*");
        assertThat(r.getResources()).as(role.getMetadata().getName()).noneMatch(x -> x.contains("*"));
        assertThat(r.getApiGroups()).as(role.getMetadata().getName()).doesNotContain("*");
        if (!role.getMetadata().getName().equals("pxops-verifier")) {
          assertThat(r.getResources()).as(role.getMetadata().getName()).doesNotContain("secrets");
        }
      });
    }
    assertThat(of(ClusterRoleBinding.class)).flatExtracting(ClusterRoleBinding::getSubjects)
        .noneMatch(s -> s.getName().equals("pxops-coordinator"));
    assertThat(of(RoleBinding.class)).flatExtracting(RoleBinding::getSubjects)
        .noneMatch(s -> s.getName().equals("pxops-coordinator"));
    assertThat(named(ServiceAccount.class, "pxops-coordinator").getAutomountServiceAccountToken()).isFalse();
  }

  /**
   * {@code kubectl apply -k deploy/base} against the local API with kubectl's validation on, as against a real
   * cluster (the local API serves the OpenAPI v3 documents kubectl asks for).
   */
  @Test
  void appliesWithKubectlToTheLocalApi(@TempDir Path dir) throws Exception {
    List<ServedKind> kinds = new ArrayList<>(ServedKind.CORE);
    kinds.addAll(ServedKind.KUBEDB);
    kinds.addAll(List.of(
        new ServedKind("", "v1", "ServiceAccount", "serviceaccounts", true, false, List.of("sa")),
        new ServedKind("apps", "v1", "Deployment", "deployments", true, true, List.of("deploy")),
        new ServedKind("apps", "v1", "StatefulSet", "statefulsets", true, true, List.of("sts")),
        new ServedKind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true, List.of("pdb")),
        new ServedKind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, false,
            List.of("netpol")),
        new ServedKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, false, List.of()),
        new ServedKind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, false,
            List.of())));
    try (MockKubernetes api = MockKubernetes.start(0, kinds); KubernetesClient client = api.client("default")) {
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), "default");
      String out = DeployManifests.kubectl(kubeconfig, "apply", "--request-timeout=30s", "-k",
          DeployManifests.deployDir().resolve("base").toString());
      assertThat(out.lines().filter(l -> l.endsWith(" created")).count()).as(out).isEqualTo(objects.size());
      assertThat(client.apps().deployments().inNamespace("pxops").list().getItems()).extracting(d -> d.getMetadata()
          .getName()).containsExactlyInAnyOrder("pxops-request-ingest", "pxops-step-runners", "pxops-verifier");
      assertThat(client.apps().statefulSets().inNamespace("pxops").list().getItems()).hasSize(2);
      assertThat(client.rbac().clusterRoles().list().getItems()).hasSize(of(ClusterRole.class).size());
      assertThat(client.network().v1().networkPolicies().inNamespace("pxops").list().getItems())
          .hasSize(of(NetworkPolicy.class).size());
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace("pxops").list().getItems()).hasSize(5);
      assertThat(client.namespaces().withName("pxops").get()).isNotNull();
    }
  }

  private static boolean isDatabasePods(NetworkPolicyPeer peer) {
    return peer.getIpBlock() == null && peer.getPodSelector() != null
        && Map.of(PXC_POD_LABEL, PXC_POD_VALUE).equals(matchLabels(peer.getPodSelector()))
        && (peer.getPodSelector().getMatchExpressions() == null
            || peer.getPodSelector().getMatchExpressions().isEmpty());
  }

  private static Set<Integer> ingressPorts(String workload) {
    Map<String, String> labels = templates().get(workload).getMetadata().getLabels();
    Set<Integer> ports = new TreeSet<>();
    for (NetworkPolicy p : of(NetworkPolicy.class)) {
      if (labels.entrySet().containsAll(matchLabels(p.getSpec().getPodSelector()).entrySet())) {
        p.getSpec().getIngress().forEach(r -> r.getPorts().forEach(port -> ports.add(port.getPort().getIntVal())));
      }
    }
    return ports;
  }

  private static Map<String, String> matchLabels(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    return selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
  }

  private static void assertProbe(String what, Probe probe, String path, Container c) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    String port = probe.getHttpGet().getPort().getStrVal();
    assertThat(c.getPorts()).as(what + " port " + port + " is a declared port").anyMatch(p -> port.equals(p.getName()));
  }

  private static int containerPort(PodTemplateSpec t) {
    return t.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
  }

  /** The environment a workload's container gets: the Kafka ConfigMap, its own variables, fields as examples. */
  private static Map<String, String> env(PodTemplateSpec t) {
    Map<String, String> env = new HashMap<>();
    Container c = t.getSpec().getContainers().get(0);
    c.getEnvFrom().stream().filter(from -> from.getConfigMapRef() != null)
        .forEach(from -> env.putAll(named(ConfigMap.class, from.getConfigMapRef().getName()).getData()));
    for (EnvVar v : c.getEnv()) {
      env.put(v.getName(), v.getValue() != null ? v.getValue() : "10.1.2.3"); // a field ref: the pod's IP
    }
    return env;
  }

  private static Map<String, PodTemplateSpec> templates() {
    Map<String, PodTemplateSpec> t = new HashMap<>();
    of(Deployment.class).forEach(d -> t.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    of(StatefulSet.class).forEach(s -> t.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
    return t;
  }

  private static <T extends HasMetadata> List<T> of(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T named(Class<T> type, String name) {
    return of(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in deploy/"));
  }
}
