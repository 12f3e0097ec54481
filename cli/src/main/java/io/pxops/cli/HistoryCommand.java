package io.pxops.cli;

import io.pxops.events.Envelope;
import io.pxops.pipeline.LifecycleLogReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", description = "A request's event log, read from Kafka: every command and every event, "
    + "oldest first.")
final class HistoryCommand implements Callable<Integer> {

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
    List<Envelope> log;
    try {
      log = LifecycleLogReader.read(endpoints.kafka(), ref.key());
    } catch (RuntimeException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read the log from " + endpoints.bootstrapServers() + ": "
          + e.getMessage());
    }
    if (log.isEmpty()) {
      throw new CliFailure(ExitCodes.REFUSED, "nothing in the log for " + ref.key());
    }
    if (output != StatusView.Format.table) {
      spec.commandLine().getOut().print(StatusView.machine(Map.of("items", log), output));
    } else {
      Instant first = log.get(0).occurredAt();
      Table t = new Table("AT", "+", "TYPE", "DETAIL");
      for (Envelope e : log) {
        t.row(e.occurredAt(), StatusView.seconds(Duration.between(first, e.occurredAt())), e.type(),
            detail(e));
      }
      spec.commandLine().getOut().print(t);
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private static String detail(Envelope e) {
    return EventDetail.of(e.payload(), 200);
  }

}
