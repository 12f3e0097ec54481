package io.pxops.sandbox.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A broker in a Docker container through Testcontainers' Kafka module ({@code org.testcontainers.kafka.KafkaContainer},
 * artifact {@code org.testcontainers:testcontainers-kafka}). Testcontainers is touched only by reflection, so it is
 * an optional dependency: the sandbox compiles and runs without it.
 */
final class TestcontainersKafka implements KafkaBroker {

  static final String CONTAINER_CLASS = "org.testcontainers.kafka.KafkaContainer";
  static final String DOCKER_CLIENT_FACTORY_CLASS = "org.testcontainers.DockerClientFactory";

  private final Object container;
  private final String bootstrapServers;
  private final String image;

  private TestcontainersKafka(Object container, String bootstrapServers, String image) {
    this.container = container;
    this.bootstrapServers = bootstrapServers;
    this.image = image;
  }

  /** Whether Testcontainers' Kafka module is on the classpath. */
  static boolean onClasspath() {
    return loadClass(CONTAINER_CLASS) != null && loadClass(DOCKER_CLIENT_FACTORY_CLASS) != null;
  }

  /** Whether Testcontainers finds a Docker engine; false when Testcontainers is absent. */
  static boolean dockerAvailable() {
    Class<?> factory = loadClass(DOCKER_CLIENT_FACTORY_CLASS);
    if (factory == null) {
      return false;
    }
    try {
      Object instance = factory.getMethod("instance").invoke(null);
      return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Starts a container from {@code image} (an {@code apache/kafka} or {@code apache/kafka-native} image). */
  static TestcontainersKafka start(String image) {
    Class<?> type = loadClass(CONTAINER_CLASS);
    if (type == null) {
      throw new IllegalStateException(CONTAINER_CLASS + " is not on the classpath");
    }
    Object container = null;
    try {
      container = type.getConstructor(String.class).newInstance(image);
      Method withEnv = type.getMethod("withEnv", String.class, String.class);
      // the module already sets replication factor 1 and no initial rebalance delay; match the embedded broker
      withEnv.invoke(container, "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
      type.getMethod("start").invoke(container);
      String bootstrap = (String) type.getMethod("getBootstrapServers").invoke(container);
      return new TestcontainersKafka(container, bootstrap, image);
    } catch (InvocationTargetException e) {
      stopQuietly(container);
      throw new IllegalStateException("could not start a Kafka container from " + image + ": " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      stopQuietly(container);
      throw new IllegalStateException("the Testcontainers Kafka module on the classpath has an unexpected API", e);
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public String describe() {
    return "Testcontainers broker (" + image + ", " + bootstrapServers + ")";
  }

  @Override
  public void close() {
    try {
      container.getClass().getMethod("stop").invoke(container);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("could not stop the Kafka container: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not stop the Kafka container", e);
    }
  }

  private static void stopQuietly(Object container) {
    if (container == null) {
      return;
    }
    try {
      container.getClass().getMethod("stop").invoke(container);
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // best effort after a failed start
    }
  }

  private static Class<?> loadClass(String name) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = TestcontainersKafka.class.getClassLoader();
    }
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
