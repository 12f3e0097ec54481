package io.pxops.pipeline.steps;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Sorts any failure of a step into what the runner does about it — one pure function, table-tested, because an
 * untested classifier is how a dropped connection once stopped Debezium's MySQL connector for good (DBZ-8786: the
 * cause chain was walked wrong and every error became non-retriable).
 * <ul>
 *   <li>{@link ErrorClass#BLOCKED}: a safety check says "not now" ({@link StepBlocked}) — wait and check again, until
 *       the step's deadline; never counted as a failure.
 *   <li>{@link ErrorClass#RETRIABLE}: a transient problem — Kubernetes 409 (a conflicting write), 429, 5xx, timeouts,
 *       I/O and SQL communication errors — back off and try again.
 *   <li>{@link ErrorClass#FATAL}: waiting will not help — 404 of what the step acts on, 401/403, 400/422, a
 *       {@link FatalStepException} (an illegal version path, a stuck pod), anything unknown: fail the step with the
 *       reason.
 * </ul>
 * The whole cause chain is examined, outermost first; the first cause that decides, decides.
 */
public final class ErrorClassifier {

  /** What to do about a failure. */
  public enum ErrorClass {
    BLOCKED,
    RETRIABLE,
    FATAL
  }

  private ErrorClassifier() {
  }

  public static ErrorClass classify(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      ErrorClass decided = decide(t);
      if (decided != null) {
        return decided;
      }
    }
    return ErrorClass.FATAL;
  }

  /** The class one throwable decides by itself, or null to look at its cause. */
  private static ErrorClass decide(Throwable t) {
    if (t instanceof StepBlocked) {
      return ErrorClass.BLOCKED;
    }
    if (t instanceof FatalStepException) {
      return ErrorClass.FATAL;
    }
    if (t instanceof KubernetesClientException k && k.getCode() > 0) {
      int code = k.getCode();
      if (code == 409 || code == 429 || code >= 500 || code == 408) {
        return ErrorClass.RETRIABLE;
      }
      return ErrorClass.FATAL;
    }
    if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
      return ErrorClass.RETRIABLE;
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
      return ErrorClass.RETRIABLE; // SQLSTATE class 08: connection exception
    }
    if (t instanceof SocketTimeoutException || t instanceof TimeoutException || t instanceof IOException) {
      return ErrorClass.RETRIABLE;
    }
    return null;
  }
}
