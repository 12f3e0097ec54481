package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a fresh in-process {@link MockKubernetes} per test class, and a {@link KubernetesClient} on it
 * whose default namespace is {@value #NAMESPACE}. Both are resolved as parameters of constructors, lifecycle
 * methods and tests, and closed after the class.
 *
 * <pre>{@code
 * @ExtendWith(KubernetesApiExtension.class)
 * class MyTest {
 *   @Test
 *   void works(KubernetesClient client, MockKubernetes api) { ... }
 * }
 * }</pre>
 */
public final class KubernetesApiExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  /** The default namespace of the resolved client. */
  public static final String NAMESPACE = "test";

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubernetesApiExtension.class);
  private static final String API = "api";
  private static final String CLIENT = "client";

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(STORE);
    MockKubernetes api = MockKubernetes.start();
    store.put(API, api);
    store.put(CLIENT, api.client(NAMESPACE));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(STORE);
    KubernetesClient client = store.remove(CLIENT, KubernetesClient.class);
    MockKubernetes api = store.remove(API, MockKubernetes.class);
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      if (api != null) {
        api.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MockKubernetes.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    Object value = context.getStore(STORE).get(type == MockKubernetes.class ? API : CLIENT, type);
    if (value == null) {
      throw new ParameterResolutionException("the local Kubernetes API is started per test class; register "
          + KubernetesApiExtension.class.getSimpleName() + " on the class, not on a method");
    }
    return value;
  }
}
