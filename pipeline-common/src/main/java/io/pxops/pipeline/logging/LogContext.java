package io.pxops.pipeline.logging;

import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.RequestFailed;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.StepStarted;
import io.pxops.events.StepTimedOut;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * What a log line is about, in the MDC: every line written while a service handles a message carries the message's
 * ops request, database, step (when the message concerns one), pod, event id, type and trace id, so that an operator
 * can select one request's lines across the five services ({@code jq 'select(.mdc.traceId == "…")'}).
 *
 * <p>The one place that sets and clears these keys: a handler opens a scope around its work,
 * <pre>{@code
 * try (LogContext.Scope scope = LogContext.of(envelope, TraceIds.of(record.headers()))) {
 *   ...
 * }
 * }</pre>
 * and closing it puts back what the thread had before (a scope opened inside another one, or on a pooled thread,
 * leaves nothing behind). The MDC is per thread: work handed to an executor or a scheduler takes its context along
 * with {@link #carry(Runnable)}.
 */
public final class LogContext {

  /** The ops request, {@code namespace/name}. */
  public static final String OPS_REQUEST = "opsRequest";
  /** The database, {@code namespace/name}. */
  public static final String DATABASE = "database";
  /** The step, when the message concerns one. */
  public static final String STEP = "step";
  /** The pod, when the message concerns one. */
  public static final String POD = "pod";
  /** The message's event id. */
  public static final String EVENT_ID = "eventId";
  /** The message's type. */
  public static final String TYPE = "type";
  /** The request's trace id, see {@link TraceIds}. */
  public static final String TRACE_ID = "traceId";

  /** Closes a scope: puts back the MDC the thread had when it was opened. Never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private LogContext() {}

  /**
   * Opens the context of handling {@code envelope}.
   *
   * @param envelope the message being handled
   * @param traceId its trace id, or null when it has none
   * @return the scope to close when the handling ends
   */
  public static Scope of(Envelope envelope, String traceId) {
    Scope scope = of(envelope.opsRequest(), envelope.database(), traceId);
    put(EVENT_ID, envelope.eventId());
    put(TYPE, envelope.type());
    Object p = envelope.payload();
    if (p instanceof Command c) {
      step(c.step(), c.pod());
    } else if (p instanceof StepStarted e) {
      step(e.step(), e.pod());
    } else if (p instanceof StepProgressed e) {
      step(e.step(), e.pod());
    } else if (p instanceof StepFailed e) {
      step(e.step(), e.pod());
    } else if (p instanceof StepTimedOut e) {
      step(e.step(), e.pod());
    } else if (p instanceof RequestFailed e) {
      step(e.step(), e.pod());
    }
    return scope;
  }

  /**
   * Opens the context of handling a request before there is an envelope (a door): what is known of it.
   *
   * @param opsRequest {@code namespace/name}, or null
   * @param database {@code namespace/name}, or null
   * @param traceId the trace id, or null
   * @return the scope to close when the handling ends
   */
  public static Scope of(String opsRequest, String database, String traceId) {
    Map<String, String> before = MDC.getCopyOfContextMap();
    MDC.clear();
    put(OPS_REQUEST, opsRequest);
    put(DATABASE, database);
    put(TRACE_ID, traceId);
    return () -> restore(before);
  }

  /** The ops request this thread is handling now, or null. */
  public static String opsRequest() {
    return MDC.get(OPS_REQUEST);
  }

  /** The trace id of what this thread is handling now, or null. */
  public static String traceId() {
    return MDC.get(TRACE_ID);
  }

  /** The MDC of one moment, to run work in later on any thread (a callback's). */
  public static final class Snapshot {
    private final Map<String, String> context;

    private Snapshot(Map<String, String> context) {
      this.context = context;
    }

    /**
     * Runs {@code task} on this thread with the captured MDC, then puts back the thread's own.
     *
     * @param task the work
     */
    public void run(Runnable task) {
      Map<String, String> before = MDC.getCopyOfContextMap();
      restore(context);
      try {
        task.run();
      } finally {
        restore(before);
      }
    }
  }

  /** The MDC this thread has now. */
  public static Snapshot capture() {
    return new Snapshot(MDC.getCopyOfContextMap());
  }

  /**
   * {@code task} run with the MDC this thread has now, whichever thread runs it (an executor's, a scheduler's).
   *
   * @param task the work
   * @return the same work, carrying the context
   */
  public static Runnable carry(Runnable task) {
    Snapshot context = capture();
    return () -> context.run(task);
  }

  /**
   * {@code task} run with the MDC this thread has now, whichever thread runs it.
   *
   * @param task the work
   * @return the same work, carrying the context
   */
  public static <T> Callable<T> carry(Callable<T> task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> before = MDC.getCopyOfContextMap();
      restore(context);
      try {
        return task.call();
      } finally {
        restore(before);
      }
    };
  }

  private static void step(Step step, String pod) {
    put(STEP, step == null ? null : step.name());
    put(POD, pod);
  }

  private static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    }
  }

  private static void restore(Map<String, String> context) {
    if (context == null || context.isEmpty()) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
  }
}
