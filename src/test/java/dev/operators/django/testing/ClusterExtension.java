package dev.operators.django.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one cluster for the whole test run and gives every test method a namespace of its own.
 *
 * <p>The backend is the local control plane unless {@code DJANGO_OPERATOR_TEST_CLUSTER=k3s} asks
 * for testcontainers-k3s, which needs a Docker engine. The cluster is closed when the test run
 * ends; the control plane's own shutdown hook and watchdogs cover a JVM that dies instead.
 */
public final class ClusterExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(ClusterExtension.class);
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ClusterExtension.class);
  public static final String TEST_LABEL = "test.django.operators.dev/namespace";

  /** The shared cluster, started on first use. */
  public static Cluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent(Cluster.class, key -> startCluster(), Cluster.class);
  }

  /** The current test method's namespace. */
  public static TestNamespace namespace(ExtensionContext context) {
    return context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
  }

  private static Cluster startCluster() {
    var backend = System.getenv().getOrDefault("DJANGO_OPERATOR_TEST_CLUSTER", "local");
    Cluster cluster =
        switch (backend) {
          case "local" ->
              LocalControlPlane.start(
                  ControlPlaneBinaries.build(),
                  Path.of(System.getProperty("controlPlane.workDir", "target/control-plane")));
          case "k3s" -> K3sCluster.start();
          default ->
              throw new IllegalArgumentException(
                  "DJANGO_OPERATOR_TEST_CLUSTER must be 'local' or 'k3s', not '" + backend + "'");
        };
    log.info("tests run against {} cluster, kube-apiserver {}", backend, cluster.serverVersion());
    return cluster;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    var cluster = cluster(context);
    var namespace = new TestNamespace(namespaceName(context));
    var client = cluster.client(namespace.name());
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace.name())
                .addToLabels(TEST_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    // Pods are admitted only once the controller-manager has created the default ServiceAccount.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.serviceAccounts().inNamespace(namespace.name()).withName("default").get()
                    != null);
    var store = context.getStore(STORE);
    store.put(TestNamespace.class, namespace);
    store.put(KubernetesClient.class, client);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    var store = context.getStore(STORE);
    var namespace = store.remove(TestNamespace.class, TestNamespace.class);
    var client = store.remove(KubernetesClient.class, KubernetesClient.class);
    if (client == null) {
      return;
    }
    try (client) {
      if (namespace != null && context.getExecutionException().isEmpty()) {
        client.namespaces().withName(namespace.name()).delete();
      } else if (namespace != null) {
        log.info("kept namespace {} of the failed test for inspection", namespace);
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == TestNamespace.class || type == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    if (type == Cluster.class) {
      return cluster(context);
    }
    return context.getStore(STORE).get(type, type);
  }

  static String namespaceName(ExtensionContext context) {
    var method =
        context
            .getRequiredTestMethod()
            .getName()
            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-");
    if (method.length() > 50) {
      method = method.substring(0, 50);
    }
    var suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    return (method + "-" + suffix).replaceAll("-+", "-");
  }
}
