package io.pxops.benchmarks;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.Envelope;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestSpec;
import io.pxops.events.Topics;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Target 1: the pipeline's own time per step. The coordinator runs as its own process; {@link SyntheticRunners}
 * answers every command at once and times each hand-over (result sent, next command received). In the same run,
 * {@link RawKafkaLoop} times Kafka's own produce-to-consume with the same clients and the same concurrency.
 */
final class StepLatencyBenchmark {

  private StepLatencyBenchmark() {
  }

  static Map<String, Object> run(LocalWorld world, Path dir, int requests, int concurrency,
      Map<String, String> coordinatorEnv, PrintStream out) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(coordinatorEnv);
    env.putIfAbsent("PXOPS_TICK_INTERVAL", "PT1S");
    String bootstrap = world.kafka().bootstrapServers();
    Map<String, Object> result = new LinkedHashMap<>();
    try (LocalPipeline pipeline = LocalPipeline.start(world, dir, env, Set.of("coordinator"));
        SyntheticRunners runners = new SyntheticRunners(bootstrap)) {
      // warm-up: the first requests pay for class loading, JIT and the first transactions
      drive(world, runners, "warmup", Math.max(2, concurrency), concurrency);
      int warm = runners.handOvers().size();
      long t0 = System.nanoTime();
      drive(world, runners, "bench", requests, concurrency);
      long took = System.nanoTime() - t0;
      var handOvers = runners.handOvers().subList(warm, runners.handOvers().size());
      Stats pipelineStats = Stats.ofNanos(handOvers);
      out.printf("  step hand-over through the coordinator: %s%n", pipelineStats);
      Stats raw = Stats.ofNanos(RawKafkaLoop.run(bootstrap, Math.max(1000, handOvers.size()), concurrency));
      out.printf("  raw Kafka produce->consume (same clients, %d in flight): %s%n", concurrency, raw);
      result.put("requests", requests);
      result.put("concurrency", concurrency);
      result.put("steps", handOvers.size());
      result.put("coordinatorSettings", env);
      result.put("pipeline", pipelineStats.toMap());
      result.put("rawKafka", raw.toMap());
      result.put("p99Ratio", ratio(pipelineStats.p99Ms(), raw.p99Ms()));
      result.put("p50Ratio", ratio(pipelineStats.p50Ms(), raw.p50Ms()));
      result.put("stepsPerSecond", Math.round(handOvers.size() / (took / 1e9) * 10) / 10.0);
      result.put("coordinatorRssMiB", pipeline.service("coordinator").residentBytes().map(b -> b >> 20).orElse(-1L));
    }
    return result;
  }

  private static void drive(LocalWorld world, SyntheticRunners runners, String prefix, int requests,
      int concurrency) {
    int started = 0;
    int base = runners.finishedRequests();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (runners.finishedRequests() - base < requests) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (runners.finishedRequests() - base) + " of " + requests
            + " requests finished in 10 minutes");
      }
      while (started < requests && started - (runners.finishedRequests() - base) < concurrency) {
        String db = prefix + "-db-" + started;
        String name = db + "-update";
        String ns = world.namespace();
        RequestSpec spec = new RequestSpec(name, ns, db, "10.11.19", Duration.ofMinutes(5), ApplyPolicy.IF_READY,
            1, Instant.now(), "bench", null);
        runners.admitted(ns + "/" + name, System.nanoTime());
        runners.send(Topics.EVENTS, ns + "/" + db, Envelope.of(UUID.randomUUID().toString(), ns + "/" + name,
            ns + "/" + db, Instant.now(), null, new RequestAdmitted(spec)));
        started++;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  static double ratio(double a, double b) {
    return b == 0 ? 0 : Math.round(a / b * 100) / 100.0;
  }
}
