package io.pxops.sandbox.kafka;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Picks the Kafka broker for tests and the local world.
 *
 * <ol>
 *   <li><b>external</b> when {@value #BOOTSTRAP_PROPERTY} (system property) or {@value #BOOTSTRAP_ENV}
 *       (environment) is set: that broker is used and nothing is started;</li>
 *   <li><b>testcontainers</b> when Testcontainers' Kafka module is on the classpath (Maven profile
 *       {@code testcontainers}) and a Docker engine is available: a container from {@value #IMAGE_PROPERTY} /
 *       {@value #IMAGE_ENV}, default {@value #DEFAULT_IMAGE};</li>
 *   <li><b>embedded</b> otherwise: {@link EmbeddedKafka} in this JVM.</li>
 * </ol>
 *
 * <p>{@value #MODE_PROPERTY} / {@value #MODE_ENV} = {@code auto} (default), {@code external},
 * {@code testcontainers} or {@code embedded} forces one way; a forced way that cannot be met fails with an
 * {@link IllegalStateException} instead of falling back. System properties win over environment variables.
 */
public final class KafkaBrokers {

  public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers";
  public static final String MODE_ENV = "KAFKA_TEST_BROKER";
  public static final String MODE_PROPERTY = "kafka.test.broker";
  public static final String IMAGE_ENV = "KAFKA_TEST_IMAGE";
  public static final String IMAGE_PROPERTY = "kafka.test.image";
  public static final String DEFAULT_IMAGE = "apache/kafka-native:4.3.1";

  /** The ways to get a broker. */
  public enum Mode {
    AUTO, EXTERNAL, TESTCONTAINERS, EMBEDDED;

    static Mode parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(MODE_ENV + "/" + MODE_PROPERTY + " must be one of auto, external, "
            + "testcontainers, embedded; got '" + value + "'", e);
      }
    }
  }

  /** What the environment offers; a seam for tests. */
  interface Probe {
    boolean testcontainersOnClasspath();

    boolean dockerAvailable();

    KafkaBroker startTestcontainers(String image);

    KafkaBroker startEmbedded();

    Probe REAL = new Probe() {
      @Override
      public boolean testcontainersOnClasspath() {
        return TestcontainersKafka.onClasspath();
      }

      @Override
      public boolean dockerAvailable() {
        return TestcontainersKafka.dockerAvailable();
      }

      @Override
      public KafkaBroker startTestcontainers(String image) {
        return TestcontainersKafka.start(image);
      }

      @Override
      public KafkaBroker startEmbedded() {
        return EmbeddedKafka.start();
      }
    };
  }

  private KafkaBrokers() {}

  /** A broker chosen from this JVM's system properties and environment, as described above. The caller closes it. */
  public static KafkaBroker fromEnvironment() {
    KafkaLogging.applyDefaults();
    return choose(KafkaBrokers::setting, Probe.REAL);
  }

  /** Reads a setting by its property name, falling back to the matching environment variable. */
  private static String setting(String propertyName) {
    String fromProperty = System.getProperty(propertyName);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    return System.getenv(envName(propertyName));
  }

  static String envName(String propertyName) {
    return switch (propertyName) {
      case BOOTSTRAP_PROPERTY -> BOOTSTRAP_ENV;
      case MODE_PROPERTY -> MODE_ENV;
      case IMAGE_PROPERTY -> IMAGE_ENV;
      default -> throw new IllegalArgumentException(propertyName);
    };
  }

  /** The decision itself: {@code settings} maps a property name ({@code kafka.*}) to its value or null. */
  static KafkaBroker choose(UnaryOperator<String> settings, Probe probe) {
    Objects.requireNonNull(probe, "probe");
    Mode mode = Mode.parse(settings.apply(MODE_PROPERTY));
    String bootstrap = blankToNull(settings.apply(BOOTSTRAP_PROPERTY));
    String image = blankToNull(settings.apply(IMAGE_PROPERTY));
    if (image == null) {
      image = DEFAULT_IMAGE;
    }
    switch (mode) {
      case EXTERNAL:
        if (bootstrap == null) {
          throw new IllegalStateException(MODE_ENV + "=external, but neither " + BOOTSTRAP_ENV + " nor -D"
              + BOOTSTRAP_PROPERTY + " is set");
        }
        return new ExternalKafka(bootstrap);
      case TESTCONTAINERS:
        if (!probe.testcontainersOnClasspath()) {
          throw new IllegalStateException(MODE_ENV + "=testcontainers, but " + TestcontainersKafka.CONTAINER_CLASS
              + " is not on the classpath (build with the Maven profile 'testcontainers')");
        }
        if (!probe.dockerAvailable()) {
          throw new IllegalStateException(MODE_ENV + "=testcontainers, but Testcontainers finds no Docker engine");
        }
        return probe.startTestcontainers(image);
      case EMBEDDED:
        return probe.startEmbedded();
      case AUTO:
      default:
        if (bootstrap != null) {
          return new ExternalKafka(bootstrap);
        }
        if (probe.testcontainersOnClasspath() && probe.dockerAvailable()) {
          return probe.startTestcontainers(image);
        }
        return probe.startEmbedded();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
