package io.pxops.sandbox.world;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one {@link LocalWorld} per test class, started before the first test and closed after the last,
 * resolved as a parameter of type {@code LocalWorld}. Register it as a static field to choose the options:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace("it"));
 * }</pre>
 */
public final class LocalWorldExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final LocalWorld.Builder builder;
  private LocalWorld world;

  /** A world with the default options: Kafka, Kubernetes API, Galera-backed pods. */
  public LocalWorldExtension() {
    this(LocalWorld.builder());
  }

  public LocalWorldExtension(LocalWorld.Builder builder) {
    this.builder = builder;
  }

  /** The running world (only between {@code beforeAll} and {@code afterAll}). */
  public LocalWorld world() {
    if (world == null) {
      throw new IllegalStateException("the local world is not running outside of its test class");
    }
    return world;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    world = builder.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (world != null) {
      world.close();
      world = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return world();
  }
}
