package io.pxops.cli;

import io.pxops.events.status.RequestStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "Every request the status projector knows, one line each.")
final class ListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Option(names = {"-n", "--namespace"}, description = "Only this namespace.")
  String namespace;

  @Option(names = {"-d", "--database"}, description = "Only this database (namespace/name, or name with -n).")
  String database;

  @Option(names = "--phase", description = "Only this phase: Pending, Progressing, Successful, Failed, Skipped.")
  String phase;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: "
      + "${DEFAULT-VALUE}).")
  StatusView.Format output;

  @Override
  public Integer call() {
    String db = database == null ? null : database.contains("/") ? database : namespace + "/" + database;
    List<RequestStatus> items = new PxopsHttp(endpoints).list(db, phase).stream()
        .filter(s -> namespace == null || s.opsRequest().startsWith(namespace + "/")).toList();
    spec.commandLine().getOut().print(output == StatusView.Format.table ? StatusView.list(items)
        : StatusView.machine(Map.of("items", items), output));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
