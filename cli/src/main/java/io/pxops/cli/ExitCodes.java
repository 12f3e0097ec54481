package io.pxops.cli;

/** The exit codes a script can rely on; {@code pxops --help} lists them. */
public final class ExitCodes {

  /** Done; for {@code watch}, the request ended {@code Successful}. */
  public static final int OK = 0;
  /** The request ended {@code Failed} (or the demo's checks did not hold). */
  public static final int FAILED = 1;
  /** The command line was wrong (picocli's usage error code). */
  public static final int USAGE = 2;
  /** The request ended {@code Skipped} (a newer request for the same database replaced it). */
  public static final int SKIPPED = 3;
  /** The request or database does not exist, or a service refused the request (4xx). */
  public static final int REFUSED = 4;
  /** A service could not be reached, or answered 5xx. */
  public static final int UNAVAILABLE = 5;
  /** {@code watch --timeout} passed before the request ended. */
  public static final int TIMED_OUT = 6;

  private ExitCodes() {
  }
}
