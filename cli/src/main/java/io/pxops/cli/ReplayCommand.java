package io.pxops.cli;

import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "replay", description = "Run a Failed request again from where it failed: pods already updated are "
    + "kept, the catalog is read again. Refused (exit 4) for a request that is not Failed.")
final class ReplayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Mixin
  RequestArgs target;

  @Option(names = {"-w", "--watch"}, description = "Then follow it until it ends (exit code as for watch).")
  boolean watch;

  @Option(names = "--watch-timeout", defaultValue = "1h", description = "With --watch (default: ${DEFAULT-VALUE}).")
  Duration watchTimeout;

  @Override
  public Integer call() {
    RequestRef ref = target.ref();
    PxopsHttp http = new PxopsHttp(endpoints);
    RequestStatus status = http.status(ref);
    if (status == null) {
      throw new CliFailure(ExitCodes.REFUSED, "no status for " + ref.key());
    }
    if (status.phase() != OpsPhase.FAILED) {
      throw new CliFailure(ExitCodes.REFUSED, ref.key() + " is " + status.phase().kubeName()
          + ": only a Failed request can be replayed");
    }
    http.replay(ref);
    spec.commandLine().getOut().printf("replay of %s requested (attempt %d failed at %s)%n", ref.key(),
        status.attempt(), status.failure() == null ? "?" : status.failure().step());
    spec.commandLine().getOut().flush();
    if (!watch) {
      return ExitCodes.OK;
    }
    int failedAttempt = status.attempt();
    // the status topic still holds the failed attempt: follow only what comes after it
    ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut());
    try (StatusTopicWatcher watcher = new StatusTopicWatcher(endpoints.kafka(), ref.key())) {
      RequestStatus last = watcher.follow(watchTimeout, s -> s.attempt() > failedAttempt && printer.show(s));
      if (last == null || last.attempt() <= failedAttempt || !last.phase().terminal()) {
        throw new CliFailure(ExitCodes.TIMED_OUT, ref.key() + " did not end within " + watchTimeout);
      }
      return ProgressPrinter.exitCode(last);
    }
  }
}
