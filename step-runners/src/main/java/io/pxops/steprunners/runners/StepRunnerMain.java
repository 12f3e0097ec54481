package io.pxops.steprunners.runners;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.steps.CommandService;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the step runners as their own process. Environment: {@code KAFKA_BOOTSTRAP_SERVERS} (localhost:9092),
 * {@code PXOPS_STUCK_GRACE} (PT2M: how long a pod may be unschedulable before it counts as stuck),
 * {@code PXOPS_RECHECK_INTERVAL} (PT1S: how often a waiting step looks again), {@code PXOPS_FAULT_PAUSE_AFTER_EVICTION}
 * (unset: for chaos tests, a pause between evicting a pod and reporting it); Kubernetes from fabric8's usual
 * sources (KUBECONFIG, ~/.kube/config, in-cluster).
 */
public final class StepRunnerMain {

  private static final Logger LOG = LoggerFactory.getLogger(StepRunnerMain.class);

  private StepRunnerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    Duration stuckGrace = ConfigOrExit.read("step-runners", () -> duration(env, "PXOPS_STUCK_GRACE", "PT2M"));
    Duration recheck = ConfigOrExit.read("step-runners", () -> duration(env, "PXOPS_RECHECK_INTERVAL", "PT1S"));
    Duration pauseAfterEviction = ConfigOrExit.read("step-runners", () -> env.containsKey(
        "PXOPS_FAULT_PAUSE_AFTER_EVICTION") ? duration(env, "PXOPS_FAULT_PAUSE_AFTER_EVICTION", "PT0S") : Duration.ZERO);
    LOG.info("step runners starting: kafka={} stuckGrace={} recheck={}", bootstrap, stuckGrace, recheck);
    KubernetesClient client = new KubernetesClientBuilder().build();
    // the first request pays for the HTTP client and its class loading (~1 s, measured as the Preflight of the first
    // update); pay it at start instead. A name no object has: an answer of any kind will do.
    try {
      client.resources(PerconaXtraDB.class).inNamespace("default").withName("pxops-warm-up").get();
    } catch (RuntimeException e) {
      LOG.warn("Kubernetes did not answer the warm-up request ({}); carrying on", e.getMessage());
    }
    CommandService service = new CommandService(bootstrap, GroupIds.STEP_RUNNERS,
        new StepRunners(client, Clock.systemUTC(), stuckGrace, pauseAfterEviction), Clock.systemUTC(), recheck).start();
    UntilStopped.await("step-runners", service, client);
  }

  private static Duration duration(Map<String, String> env, String key, String fallback) {
    String value = env.getOrDefault(key, fallback);
    try {
      Duration d = Duration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(key + " must be positive, was " + value);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT1S, was " + value, e);
    }
  }
}
