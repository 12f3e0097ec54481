package io.pxops.steprunners.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodRunning;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestSpec;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.kubedb.KubeDbConditions;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The step runners against the local world's Kubernetes API (pods simulated: no database processes), in the order
 * an update uses them, with the level-based answers that make redelivery harmless.
 */
class StepRunnersIT {

  private static final String NS = "runners-it";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  @Test
  void givenAnUpdate_thenEachStepIsDoneOnceAndARedeliveredEvictionEvictsNothingMore(LocalWorld world) {
    world.createDatabase("orders", 3, world.olderVersion());
    await().atMost(Duration.ofSeconds(30)).until(world.allPodsReady("orders", 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(world.client().resources(PerconaXtraDB.class)
        .inNamespace(NS).withName("orders").get().getStatus().getPhase()));
    opsRequest(world, "upd");
    StepRunners runners = new StepRunners(world.client(), Clock.systemUTC(), Duration.ofMinutes(2));
    String newImage = ServerImages.imageFor(world.newerVersion());

    PreflightPassed preflight = (PreflightPassed) done(runners, new RunPreflight(spec(world), false, TIMEOUT));
    assertThat(preflight.currentVersion()).isEqualTo(world.olderVersion());
    assertThat(preflight.pods()).hasSize(3).allMatch(p -> p.ready());

    assertThat(done(runners, new PauseDatabase(TIMEOUT))).isInstanceOf(DatabasePaused.class);
    assertThat(KubeDbConditions.isPaused(db(world))).isTrue();

    String uid0 = pod(world, "orders-0").getMetadata().getUid();
    // done once the PetSet's controller has seen the new template: the service looks again until then
    Envelope updatePetSet = envelope(new UpdatePetSet(world.newerVersion(), TIMEOUT));
    AtomicReference<Attempt> petSetAttempt = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      petSetAttempt.set(runners.attempt(updatePetSet));
      return petSetAttempt.get() instanceof Attempt.Done;
    });
    PetSetUpdated updated = (PetSetUpdated) ((Attempt.Done) petSetAttempt.get()).result();
    assertThat(updated.image()).isEqualTo(newImage);
    assertThat(pod(world, "orders-0").getMetadata().getUid()).as("OnDelete: nothing restarted").isEqualTo(uid0);

    String uid2 = pod(world, "orders-2").getMetadata().getUid();
    Envelope evict = envelope(new EvictPod("orders-2", newImage, TIMEOUT));
    assertThat(runners.attempt(evict)).isEqualTo(new Attempt.Done(new PodEvicted("orders-2")));
    await().atMost(Duration.ofSeconds(30)).until(() -> pod(world, "orders-2") != null
        && !uid2.equals(pod(world, "orders-2").getMetadata().getUid()));
    String replacement = pod(world, "orders-2").getMetadata().getUid();

    // the same command again, as after a runner crash between its delete and its report: reported, not redone
    assertThat(runners.attempt(evict)).isEqualTo(new Attempt.Done(new PodEvicted("orders-2")));
    assertThat(pod(world, "orders-2").getMetadata().getUid()).isEqualTo(replacement);

    Envelope await = envelope(new AwaitPodRunning("orders-2", newImage, TIMEOUT));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      return runners.attempt(await) instanceof Attempt.Done;
    });
    assertThat(runners.attempt(await)).isEqualTo(new Attempt.Done(new PodRunning("orders-2", newImage)));

    assertThat(done(runners, new EvictPod("orders-2", newImage, TIMEOUT)))
        .isEqualTo(new PodAlreadyUpdated("orders-2", newImage));
    assertThat(pod(world, "orders-2").getMetadata().getUid()).as("never restarted twice").isEqualTo(replacement);

    // a target image that cannot start: the pod is stuck and stops the line; the next pod is blocked
    String missing = ServerImages.imageFor("10.11.99");
    world.client().resources(PetSet.class).inNamespace(NS).withName("orders").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + missing + "\"}]");
    done(runners, new EvictPod("orders-1", missing, TIMEOUT));
    Envelope stuck = envelope(new AwaitPodRunning("orders-1", missing, TIMEOUT));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
      try {
        runners.attempt(stuck);
        return false;
      } catch (FatalStepException e) {
        assertThat(e.reason()).isEqualTo("PodStuck");
        assertThat(e.getMessage()).contains("orders-1").contains("ImagePullBackOff");
        return true;
      }
    });
    String uid0Before = pod(world, "orders-0").getMetadata().getUid();
    assertThatThrownBy(() -> runners.attempt(envelope(new EvictPod("orders-0", missing, TIMEOUT))))
        .isInstanceOf(StepBlocked.class).hasMessageContaining("orders-1");
    assertThat(pod(world, "orders-0").getMetadata().getUid()).as("never two nodes down").isEqualTo(uid0Before);

    assertThat(done(runners, new UpdateDatabaseVersion(world.newerVersion(), TIMEOUT)))
        .isEqualTo(new DatabaseVersionUpdated(world.newerVersion()));
    assertThat(db(world).getSpec().getVersion()).isEqualTo(world.newerVersion());
    assertThat(done(runners, new ResumeDatabase(TIMEOUT))).isInstanceOf(DatabaseResumed.class);
    assertThat(KubeDbConditions.isPaused(db(world))).isFalse();
  }

  @Test
  void givenAMissingDatabase_thenPreflightIsFatal_andIfReadyWaitsForReady(LocalWorld world) {
    StepRunners runners = new StepRunners(world.client(), Clock.systemUTC(), Duration.ofMinutes(2));
    RequestSpec missing = new RequestSpec("x", NS, "nosuch", world.newerVersion(), TIMEOUT, ApplyPolicy.IF_READY, 1,
        Instant.now(), "http", null);
    assertThatThrownBy(() -> runners.attempt(Envelope.of(UUID.randomUUID().toString(), NS + "/x", NS + "/nosuch",
        Instant.now(), null, new RunPreflight(missing, false, TIMEOUT))))
        .isInstanceOfSatisfying(FatalStepException.class, e -> assertThat(e.reason()).isEqualTo("DatabaseNotFound"));
    // the version is written without reading the database first: a missing one is still fatal, and named
    assertThatThrownBy(() -> runners.attempt(Envelope.of(UUID.randomUUID().toString(), NS + "/x", NS + "/nosuch",
        Instant.now(), null, new UpdateDatabaseVersion(world.newerVersion(), TIMEOUT))))
        .isInstanceOfSatisfying(FatalStepException.class, e -> {
          assertThat(e.reason()).isEqualTo("DatabaseNotFound");
          assertThat(e.getMessage()).contains(NS + "/nosuch");
        });
    assertThat(world.client().resources(io.pxops.kubedb.PerconaXtraDB.class).inNamespace(NS).withName("nosuch").get())
        .as("the patch created nothing").isNull();

    world.createDatabase("fresh", 3, world.olderVersion());
    RequestSpec fresh = new RequestSpec("y", NS, "fresh", world.newerVersion(), TIMEOUT, ApplyPolicy.IF_READY, 1,
        Instant.now(), "http", null);
    // right after creation the database is not Ready yet: IfReady blocks (the coordinator's deadline bounds it)
    assertThatThrownBy(() -> runners.attempt(Envelope.of(UUID.randomUUID().toString(), NS + "/y", NS + "/fresh",
        Instant.now(), null, new RunPreflight(fresh, false, TIMEOUT)))).isInstanceOf(StepBlocked.class);
  }

  private static io.pxops.events.Event done(StepRunners runners, Command command) {
    Attempt a = runners.attempt(envelope(command));
    assertThat(a).isInstanceOf(Attempt.Done.class);
    return ((Attempt.Done) a).result();
  }

  private static Envelope envelope(Command command) {
    return Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/orders", Instant.now(), null, command);
  }

  private static RequestSpec spec(LocalWorld world) {
    return new RequestSpec("upd", NS, "orders", world.newerVersion(), TIMEOUT, ApplyPolicy.IF_READY, 1, Instant.now(),
        "kubernetes", null);
  }

  private static void opsRequest(LocalWorld world, String name) {
    PerconaXtraDBOpsRequest o = new PerconaXtraDBOpsRequest();
    o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType("UpdateVersion");
    spec.setDatabaseRef(new io.fabric8.kubernetes.api.model.LocalObjectReference("orders"));
    o.setSpec(spec);
    world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).resource(o).create();
  }

  private static PerconaXtraDB db(LocalWorld world) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(NS).withName("orders").get();
  }

  private static Pod pod(LocalWorld world, String name) {
    return world.client().pods().inNamespace(NS).withName(name).get();
  }
}
