package io.pxops.pipeline;

import java.util.function.Supplier;

/**
 * How every service's {@code main} reads its configuration: once, at start; a bad value ends the process with
 * exit code 2 and one line naming the variable and the rule, not a stack trace.
 */
public final class ConfigOrExit {

  private ConfigOrExit() {
  }

  /**
   * Reads the configuration, or exits.
   *
   * @param service the service's name, for the message
   * @param reader reads and validates the configuration, throwing {@link IllegalArgumentException} with the rule
   * @return the configuration
   */
  public static <T> T read(String service, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (IllegalArgumentException e) {
      System.err.println(service + ": configuration error: " + e.getMessage());
      System.exit(2);
      throw e; // not reached
    }
  }
}
