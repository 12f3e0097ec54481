package io.pxops.cli;

import io.pxops.events.status.RequestStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "One request's status from the status projector: phase, steps with "
    + "durations, pods. Exit 0 when found, 4 when not.")
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Mixin
  RequestArgs target;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: "
      + "${DEFAULT-VALUE}).")
  StatusView.Format output;

  @Override
  public Integer call() {
    RequestRef ref = target.ref();
    RequestStatus status = new PxopsHttp(endpoints).status(ref);
    if (status == null) {
      throw new CliFailure(ExitCodes.REFUSED, "no status for " + ref.key());
    }
    spec.commandLine().getOut().print(output == StatusView.Format.table ? StatusView.detail(status)
        : StatusView.machine(status, output));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
