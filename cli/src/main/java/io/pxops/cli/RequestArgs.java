package io.pxops.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The request a command is about: {@code REQUEST} as namespace/name, or name with {@code -n}. A picocli mixin. */
final class RequestArgs {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(paramLabel = "REQUEST", description = "namespace/name, or name with -n.")
  String request;

  @Option(names = {"-n", "--namespace"}, description = "The request's namespace.")
  String namespace;

  RequestRef ref() {
    return RequestRef.parse(spec, request, namespace);
  }
}
