package io.pxops.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** An ops request named {@code namespace/name}, or {@code name} with {@code -n namespace}. */
record RequestRef(String namespace, String name) {

  static RequestRef parse(CommandSpec spec, String ref, String namespace) {
    String ns = namespace;
    String name = ref;
    int slash = ref.indexOf('/');
    if (slash >= 0) {
      ns = ref.substring(0, slash);
      name = ref.substring(slash + 1);
    }
    if (ns == null || ns.isBlank() || name.isBlank() || name.contains("/")) {
      throw new ParameterException(spec.commandLine(),
          "REQUEST must be namespace/name, or name with -n NAMESPACE; was '" + ref + "'");
    }
    return new RequestRef(ns, name);
  }

  String key() {
    return namespace + "/" + name;
  }
}
