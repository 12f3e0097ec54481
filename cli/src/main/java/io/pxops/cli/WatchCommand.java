package io.pxops.cli;

import io.pxops.events.status.RequestStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "watch", description = "Follow a request live from the status topic until it ends: each step with "
    + "its duration, a progress bar per pod. Exits 0 on Successful, 1 on Failed, 3 on Skipped.")
final class WatchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Mixin
  RequestArgs target;

  @Option(names = "--timeout", defaultValue = "1h", description = "Give up after this long, exit 6 (e.g. 90s, 10m, 1h; "
      + "default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    return follow(endpoints, target.ref(), timeout, spec.commandLine().getOut());
  }

  /** Follows {@code ref} on the status topic, printing progress; returns the exit code. */
  static int follow(Endpoints endpoints, RequestRef ref, Duration timeout, PrintWriter out) {
    ProgressPrinter printer = new ProgressPrinter(out);
    try (StatusTopicWatcher watcher = new StatusTopicWatcher(endpoints.kafka(), ref.key())) {
      RequestStatus last = watcher.follow(timeout, printer::show);
      if (last == null) {
        throw new CliFailure(ExitCodes.TIMED_OUT, "no status for " + ref.key() + " within " + timeout
            + " (is the name right, and the status projector running?)");
      }
      if (!last.phase().terminal()) {
        throw new CliFailure(ExitCodes.TIMED_OUT, ref.key() + " is still " + last.phase().kubeName() + " after "
            + timeout);
      }
      return ProgressPrinter.exitCode(last);
    }
  }
}
