package io.pxops.steprunners.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PodEvicted;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestSpec;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.UpdatePetSet;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.kubedb.PetSet;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.pipeline.steps.StepBlocked;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sick cluster stops the line instead of hanging it: the step runners against the local world's API (simulated
 * pods), with a clock the test moves, so that "at the step timeout" costs no waiting.
 */
class SickClusterRunnersIT {

  private static final String NS = "sick-it";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS).kafka(false)
      .pods(LocalWorld.Pods.SIMULATED));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @Test
  void anEvictionRefusedByABudget_isBlockedNamingIt_andFailsTheStepAt80PercentOfItsTimeout(LocalWorld world) {
    readyDatabase(world, "shop");
    StepRunners runners = new StepRunners(world.client(), clock, Duration.ofMinutes(2));
    // the local KubeDB operator made KubeDB's budget; someone tightened it so that no pod may go
    assertThat(world.client().resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop").get()
        .getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    world.client().resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"maxUnavailable\":null,\"minAvailable\":3}}");
    String uid = pod(world, "shop-2").getMetadata().getUid();
    Envelope evict = envelope("shop", new EvictPod("shop-2", ServerImages.imageFor(world.newerVersion()), TIMEOUT));

    assertThatThrownBy(() -> runners.attempt(evict)).isInstanceOf(StepBlocked.class).hasMessage(
        "eviction of shop-2 refused by PodDisruptionBudget shop (minAvailable 3, 3 healthy of 3 expected,"
            + " 3 needed, disruptions allowed 0)");
    clock.advance(Duration.ofSeconds(23));
    assertThatThrownBy(() -> runners.attempt(evict)).as("still inside 80 % of 30 s").isInstanceOf(StepBlocked.class);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> runners.attempt(evict)).isInstanceOfSatisfying(FatalStepException.class, e -> {
      assertThat(e.reason()).isEqualTo("EvictionRefused");
      assertThat(e.getMessage()).startsWith("eviction of shop-2 refused by PodDisruptionBudget shop (minAvailable 3")
          .contains("blocked for 24 s");
    });
    assertThat(pod(world, "shop-2").getMetadata().getUid()).as("never evicted").isEqualTo(uid);

    // the budget loosened again (KubeDB's maxUnavailable 1): the same command now evicts, and is reported done
    world.client().resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"minAvailable\":null,\"maxUnavailable\":1}}");
    assertThat(runners.attempt(evict)).isEqualTo(new Attempt.Done(new PodEvicted("shop-2")));
    await().atMost(Duration.ofSeconds(30)).until(() -> pod(world, "shop-2") == null
        || !uid.equals(pod(world, "shop-2").getMetadata().getUid()));
  }

  @Test
  void aPodRunningButNeverReady_failsItsStepSayingWhatWasSeenAndForHowLong(LocalWorld world) {
    StepRunners runners = new StepRunners(world.client(), clock, Duration.ofMinutes(2));
    String image = ServerImages.imageFor(world.newerVersion());
    // a pod no kubelet runs, so its status stays what the test writes: Running, never Ready
    world.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("limbo-0")
        .withNamespace(NS).endMetadata().withNewSpec().addNewContainer().withName(KubeDbNames.CONTAINER)
        .withImage(image).endContainer().endSpec().build()).create();
    runningNotReady(world, "limbo-0", image, 0);
    Envelope await = envelope("limbo", new AwaitPodRunning("limbo-0", image, TIMEOUT));

    assertThat(runners.attempt(await)).isInstanceOfSatisfying(Attempt.NotYet.class,
        n -> assertThat(n.progress()).as("first sight").isTrue());
    clock.advance(Duration.ofSeconds(10));
    assertThat(runners.attempt(await)).isInstanceOfSatisfying(Attempt.NotYet.class,
        n -> assertThat(n.progress()).as("same state: no progress").isFalse());
    // a change (the container restarted) is progress, and restarts the count
    runningNotReady(world, "limbo-0", image, 1);
    clock.advance(Duration.ofSeconds(10));
    assertThat(runners.attempt(await)).isInstanceOfSatisfying(Attempt.NotYet.class,
        n -> assertThat(n.progress()).isTrue());
    clock.advance(Duration.ofSeconds(23));
    assertThat(runners.attempt(await)).isInstanceOf(Attempt.NotYet.class);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> runners.attempt(await)).isInstanceOfSatisfying(FatalStepException.class, e -> {
      assertThat(e.reason()).isEqualTo("PodNotReady");
      assertThat(e.getMessage()).isEqualTo("pod limbo-0 is Running, not Ready; containers: perconaxtradb running,"
          + " not ready, 1 restarts, unchanged for 24 s (the step's timeout is 30 s)");
    });
  }

  @Test
  void aPodThatIsNeverReCreated_failsItsEvictionAt80PercentOfItsTimeoutNamingThePod(LocalWorld world) {
    StepRunners runners = new StepRunners(world.client(), clock, Duration.ofMinutes(2));
    // no such pod, and no PetSet that would bring it back
    Envelope evict = envelope("ghost", new EvictPod("ghost-1", ServerImages.imageFor(world.newerVersion()), TIMEOUT));

    assertThat(runners.attempt(evict)).isInstanceOfSatisfying(Attempt.NotYet.class,
        n -> assertThat(n.progress()).as("first sight").isTrue());
    clock.advance(Duration.ofSeconds(23));
    assertThat(runners.attempt(evict)).isInstanceOfSatisfying(Attempt.NotYet.class,
        n -> assertThat(n.progress()).as("still absent: not progress").isFalse());
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> runners.attempt(evict)).isInstanceOfSatisfying(FatalStepException.class, e -> {
      assertThat(e.reason()).isEqualTo("PodMissing");
      assertThat(e.getMessage()).isEqualTo("pod ghost-1 does not exist (not re-created by its PetSet yet),"
          + " unchanged for 24 s (the step's timeout is 30 s)");
    });
  }

  @Test
  void aRollingUpdatePetSet_isRefusedAtPreflightNamingTheField(LocalWorld world) {
    readyDatabase(world, "rolling");
    StepRunners runners = new StepRunners(world.client(), clock, Duration.ofMinutes(2));
    world.client().resources(PetSet.class).inNamespace(NS).withName("rolling").patch(PatchContext.of(
        PatchType.JSON_MERGE), "{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\"}}}");

    for (Command c : new Command[] {preflight(world, "rolling"), new UpdatePetSet(world.newerVersion(), TIMEOUT),
        new EvictPod("rolling-2", ServerImages.imageFor(world.newerVersion()), TIMEOUT)}) {
      assertThatThrownBy(() -> runners.attempt(envelope("rolling", c))).as(c.getClass().getSimpleName())
          .isInstanceOfSatisfying(FatalStepException.class, e -> {
            assertThat(e.reason()).isEqualTo("UpdateStrategyNotOnDelete");
            assertThat(e.getMessage()).contains("PetSet " + NS + "/rolling has spec.updateStrategy.type RollingUpdate,"
                + " not OnDelete");
          });
    }
    assertThat(world.client().resources(PetSet.class).inNamespace(NS).withName("rolling").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getImage()).as("template untouched")
        .isEqualTo(ServerImages.imageFor(world.olderVersion()));
  }

  @Test
  void aDatabasePausedBySomeoneElse_isRefusedAndLeftPaused_whileOurOwnPauseFromAnEarlierAttemptIsRecognised(
      LocalWorld world) {
    readyDatabase(world, "backup");
    StepRunners runners = new StepRunners(world.client(), clock, Duration.ofMinutes(2));
    DatabasePauses.pause(world.client(), NS, "backup", "paused for the nightly backup");

    for (Command c : new Command[] {preflight(world, "backup"), new PauseDatabase(TIMEOUT)}) {
      assertThatThrownBy(() -> runners.attempt(envelope("backup", c))).as(c.getClass().getSimpleName())
          .isInstanceOfSatisfying(FatalStepException.class, e -> {
            assertThat(e.reason()).isEqualTo("DatabasePausedByOthers");
            assertThat(e.getMessage()).contains("PerconaXtraDB " + NS + "/backup has the condition Paused=True")
                .contains("paused for the nightly backup");
          });
    }
    assertThat(runners.attempt(envelope("backup", new ResumeDatabase(TIMEOUT))))
        .isEqualTo(new Attempt.Done(new DatabaseResumed()));
    assertThat(KubeDbConditions.isPaused(database(world, "backup"))).as("their pause is theirs to lift").isTrue();

    // our own pause, left by an earlier attempt of the same request (a crash, a replay): not refused
    DatabasePauses.resume(world.client(), NS, "backup");
    DatabasePauses.pause(world.client(), NS, "backup", StepRunners.PAUSED_BY_PXOPS_FOR + NS + "/upd");
    assertThat(runners.attempt(envelope("backup", preflight(world, "backup"))))
        .isInstanceOfSatisfying(Attempt.Done.class, d -> assertThat(d.result()).isInstanceOf(PreflightPassed.class));
    assertThat(runners.attempt(envelope("backup", new PauseDatabase(TIMEOUT))))
        .isEqualTo(new Attempt.Done(new DatabasePaused()));
    runners.attempt(envelope("backup", new ResumeDatabase(TIMEOUT)));
    assertThat(KubeDbConditions.isPaused(database(world, "backup"))).isFalse();
  }

  private static void readyDatabase(LocalWorld world, String name) {
    world.createDatabase(name, 3, world.olderVersion());
    await().atMost(Duration.ofSeconds(60)).until(world.allPodsReady(name, 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(database(world, name).getStatus().getPhase()));
    opsRequest(world, name);
  }

  private static void runningNotReady(LocalWorld world, String name, String image, int restarts) {
    Pod pod = world.client().pods().inNamespace(NS).withName(name).get();
    pod.setStatus(new PodBuilder().withNewStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .addNewContainerStatus().withName(KubeDbNames.CONTAINER).withImage(image).withReady(false)
        .withRestartCount(restarts).withNewState().withNewRunning().endRunning().endState().endContainerStatus()
        .endStatus().build().getStatus());
    world.client().pods().inNamespace(NS).resource(pod).updateStatus();
  }

  private RunPreflight preflight(LocalWorld world, String db) {
    return new RunPreflight(new RequestSpec("upd", NS, db, world.newerVersion(), TIMEOUT, ApplyPolicy.IF_READY, 1,
        clock.instant(), "http", null), false, TIMEOUT);
  }

  private Envelope envelope(String db, Command command) {
    return Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/" + db, clock.instant(), null, command);
  }

  private static void opsRequest(LocalWorld world, String db) {
    if (world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).withName("upd").get() != null) {
      return;
    }
    PerconaXtraDBOpsRequest o = new PerconaXtraDBOpsRequest();
    o.setMetadata(new ObjectMetaBuilder().withName("upd").withNamespace(NS).build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType("UpdateVersion");
    spec.setDatabaseRef(new io.fabric8.kubernetes.api.model.LocalObjectReference(db));
    o.setSpec(spec);
    world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).resource(o).create();
  }

  private static PerconaXtraDB database(LocalWorld world, String name) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(NS).withName(name).get();
  }

  private static Pod pod(LocalWorld world, String name) {
    return world.client().pods().inNamespace(NS).withName(name).get();
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
