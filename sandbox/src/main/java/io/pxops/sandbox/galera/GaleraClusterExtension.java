package io.pxops.sandbox.galera;

import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real {@link GaleraCluster} per test class: started before the first test, injected as a parameter of type
 * {@link GaleraCluster} (constructor, lifecycle or test methods), stopped and deleted after the last test.
 *
 * <pre>{@code
 * @ExtendWith(GaleraClusterExtension.class)            // 3 nodes on the older build
 * class SomeIT { @Test void t(GaleraCluster cluster) { ... } }
 *
 * @RegisterExtension                                    // or configured
 * static final GaleraClusterExtension GALERA = new GaleraClusterExtension().nodes(1).onNewerBuild();
 * }</pre>
 */
public final class GaleraClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(GaleraClusterExtension.class);
  private static final String KEY = "cluster";

  private int nodes = GaleraCluster.DEFAULT_NODES;
  private Function<MariaDbBuilds, String> build = MariaDbBuilds::older;

  /** Three nodes on the older installed build. */
  public GaleraClusterExtension() {
  }

  /** The number of nodes. */
  public GaleraClusterExtension nodes(int count) {
    this.nodes = count;
    return this;
  }

  /** Start on the older installed build (the default). */
  public GaleraClusterExtension onOlderBuild() {
    this.build = MariaDbBuilds::older;
    return this;
  }

  /** Start on the newer installed build. */
  public GaleraClusterExtension onNewerBuild() {
    this.build = MariaDbBuilds::newer;
    return this;
  }

  /** Start on the given build. */
  public GaleraClusterExtension onBuild(String version) {
    this.build = b -> version;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    MariaDbBuilds builds = MariaDbBuilds.discover();
    GaleraCluster cluster = GaleraCluster.builder().builds(builds).nodes(nodes).build(build.apply(builds)).start();
    context.getStore(NAMESPACE).put(KEY, cluster);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    GaleraCluster cluster = context.getStore(NAMESPACE).remove(KEY, GaleraCluster.class);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == GaleraCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    GaleraCluster cluster = extensionContext.getStore(NAMESPACE).get(KEY, GaleraCluster.class);
    if (cluster == null) {
      throw new ParameterResolutionException("no Galera cluster runs for " + extensionContext.getDisplayName()
          + ": GaleraClusterExtension starts one per test class, before all tests");
    }
    return cluster;
  }
}
