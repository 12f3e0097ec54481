package io.pxops.events;

/**
 * A record that cannot be read as an {@link Envelope}. Consumers send such a record to {@link
 * Topics#DLQ} with {@link #problem()} and {@link #getMessage()} as the reason; they never skip it
 * silently.
 */
public final class InvalidMessageException extends RuntimeException {

  /** Serialization version of this exception class. */
  private static final long serialVersionUID = 1L;

  /** What is wrong with the record. */
  public enum Problem {
    /** The bytes are not a JSON object. */
    NOT_JSON,
    /** A required envelope field is absent or null. */
    MISSING_FIELD,
    /** An envelope field has the wrong JSON type or an invalid value. */
    INVALID_FIELD,
    /** The {@code type} names no known message type. */
    UNKNOWN_TYPE,
    /** The payload does not have the shape of its type. */
    WRONG_PAYLOAD
  }

  private final Problem problem;

  /**
   * Creates the exception.
   *
   * @param problem what is wrong
   * @param message a sentence naming the field or type concerned
   * @param cause the underlying parse error, or {@code null}
   */
  public InvalidMessageException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /**
   * What is wrong with the record.
   *
   * @return the problem class
   */
  public Problem problem() {
    return problem;
  }
}
