package io.pxops.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pxops.pipeline.steps.ErrorClassifier.ErrorClass;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorClassifierTest {

  static Stream<Arguments> table() {
    return Stream.of(
        row("a safety check says not now", new StepBlocked("orders-1 is not Ready"), ErrorClass.BLOCKED),
        row("blocked, wrapped", new CompletionException(new StepBlocked("x")), ErrorClass.BLOCKED),
        row("a stuck pod", new FatalStepException("PodStuck", "orders-2: ImagePullBackOff"), ErrorClass.FATAL),
        row("409 conflict", k(409), ErrorClass.RETRIABLE),
        row("429 throttled", k(429), ErrorClass.RETRIABLE),
        row("500", k(500), ErrorClass.RETRIABLE),
        row("503", k(503), ErrorClass.RETRIABLE),
        row("404 of the object", k(404), ErrorClass.FATAL),
        row("401", k(401), ErrorClass.FATAL),
        row("403", k(403), ErrorClass.FATAL),
        row("422 invalid", k(422), ErrorClass.FATAL),
        row("409 wrapped twice", new ExecutionException(new CompletionException(k(409))), ErrorClass.RETRIABLE),
        row("client exception without code, caused by a timeout",
            new KubernetesClientException("read timed out", new SocketTimeoutException("read")),
            ErrorClass.RETRIABLE),
        row("connection refused", new ConnectException("refused"), ErrorClass.RETRIABLE),
        row("wrapped EOF", new UncheckedIOException(new EOFException("eof")), ErrorClass.RETRIABLE),
        row("I/O", new IOException("broken pipe"), ErrorClass.RETRIABLE),
        row("timeout", new TimeoutException(), ErrorClass.RETRIABLE),
        row("SQL communication link failure", new SQLException("Communications link failure", "08S01"),
            ErrorClass.RETRIABLE),
        row("SQL transient connection", new SQLTransientConnectionException("x"), ErrorClass.RETRIABLE),
        row("SQL non-transient connection (08 state)", new SQLNonTransientConnectionException("x", "08004"),
            ErrorClass.RETRIABLE),
        row("SQL access denied", new SQLException("Access denied", "28000", 1045), ErrorClass.FATAL),
        row("an unknown bug", new IllegalStateException("bug"), ErrorClass.FATAL),
        row("a null pointer wrapping I/O is decided by the I/O", new RuntimeException(new IOException("x")),
            ErrorClass.RETRIABLE));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("table")
  void classifiesByTheFirstDecidingCause(String title, Throwable failure, ErrorClass expected) {
    assertThat(ErrorClassifier.classify(failure)).isEqualTo(expected);
  }

  private static KubernetesClientException k(int code) {
    return new KubernetesClientException("status " + code, code, null);
  }

  private static Arguments row(String title, Throwable t, ErrorClass c) {
    return Arguments.of(title, t, c);
  }
}
