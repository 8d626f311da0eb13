package dev.operators.django.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts the {@link RealNode} once per test run and points each test's namespace at it. */
final class RealNodeExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RealNodeExtension.class);

  /** Closed with the root store, before the cluster it runs on (stored earlier). */
  record Running(RealNode node) implements AutoCloseable {
    @Override
    public void close() {
      node.stop();
    }
  }

  /** Before the cluster starts: a machine that cannot run the node says so at once. */
  @Override
  public void beforeAll(ExtensionContext context) {
    requirePrerequisites(context);
  }

  /**
   * Root by uid, cgroup v1, the node's address ranges free: a CI failure, a loud skip elsewhere.
   */
  private static void requirePrerequisites(ExtensionContext context) {
    if (context.getRoot().getStore(STORE).get(Running.class, Running.class) == null) {
      Prerequisites.require(RealNode.missingPrerequisite());
    }
  }

  static RealNode node(ExtensionContext context) {
    var running = context.getRoot().getStore(STORE).get(Running.class, Running.class);
    if (running != null) {
      return running.node();
    }
    requirePrerequisites(context);
    var cluster = ClusterExtension.cluster(context);
    if (!(cluster instanceof LocalControlPlane plane)) {
      throw new IllegalStateException("a real node runs on the local control plane only");
    }
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent(Running.class, key -> new Running(RealNode.start(plane)), Running.class)
        .node();
  }

  /**
   * Stops the node this test run shares, if one is running, for a test that starts and stops a node
   * of its own (one real node at a time); the next test that needs the shared one starts it again.
   */
  static void stopShared(ExtensionContext context) {
    var running = context.getRoot().getStore(STORE).remove(Running.class, Running.class);
    if (running != null) {
      running.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    node(context);
    var namespace = ClusterExtension.namespace(context).name();
    try (KubernetesClient client = ClusterExtension.cluster(context).client(namespace)) {
      optIn(client, namespace);
    }
  }

  /** The namespace's pods go to the real node (and tolerate its taint). */
  static void optIn(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .withName(namespace)
        .edit(
            ns -> {
              var annotations = new HashMap<String, String>();
              if (ns.getMetadata().getAnnotations() != null) {
                annotations.putAll(ns.getMetadata().getAnnotations());
              }
              annotations.putAll(RealNode.NAMESPACE_ANNOTATIONS);
              ns.getMetadata().setAnnotations(annotations);
              return ns;
            });
  }

  /** PostgreSQL and S3 on the host, started after the node (they listen on its bridge). */
  static HostServices services(ExtensionContext context) {
    var node = node(context);
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent(
            HostServices.class, key -> HostServices.start(node.logDirectory()), HostServices.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == RealNode.class || type == HostServices.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealNode.class ? node(context) : services(context);
  }
}
