package io.pxops.verifier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.steps.CommandService;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the verifier as its own process; configuration in {@link VerifierConfig}. Stops cleanly on SIGTERM. */
public final class VerifierMain {

  private static final Logger LOG = LoggerFactory.getLogger(VerifierMain.class);

  private VerifierMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    VerifierConfig config = ConfigOrExit.read("verifier", args, VerifierConfig::fromEnv);
    LOG.info("verifier starting: {}", config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    CommandService service = new CommandService(config.bootstrapServers(), GroupIds.VERIFIER,
        new GaleraVerifier(client, Clock.systemUTC(), config), Clock.systemUTC(), config.recheck()).start();
    UntilStopped.await("verifier", service, client);
  }
}
