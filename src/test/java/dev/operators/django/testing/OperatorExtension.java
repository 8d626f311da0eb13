package dev.operators.django.testing;

import dev.operators.django.DjangoOperator;
import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs the generated CRD into the shared cluster and runs the operator in-process for each
 * test, watching only that test's namespace, with a client whose requests are recorded. Register it
 * after {@link WithCluster} with {@code @RegisterExtension}.
 */
public final class OperatorExtension implements BeforeEachCallback, AfterEachCallback {
  public static final Path CRD = Path.of("crd/djangoapps.django.operators.dev-v1.yml");

  private final Map<String, String> environment = new HashMap<>();
  private String impersonate;
  private ExtensionContext context;
  private Running running;

  /** The operator and the client it uses. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public record Running(DjangoOperator operator, KubernetesClient client, WriteCounter requests) {
    /** Reconciles started so far, from the operator's own /metrics. */
    public long reconciles() {
      try {
        var body =
            HTTP.send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + operator.healthPort() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        return Math.round(
            body.lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Operator settings as environment variables, e.g. DEFAULT_INGRESS_CLASS. */
  public OperatorExtension withEnv(String name, String value) {
    environment.put(name, value);
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    this.context = context;
    installCrd(ClusterExtension.cluster(context));
    running = start(ClusterExtension.namespace(context).name());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop();
  }

  /**
   * Runs the operator as this user (with the service-account groups), through impersonation on the
   * real API server, so RBAC decides what it may do.
   */
  public OperatorExtension impersonating(String user) {
    impersonate = user;
    return this;
  }

  /** Starts an operator watching the given namespaces (comma-separated). */
  public Running start(String namespaces) {
    var cluster = ClusterExtension.cluster(context);
    var env = new HashMap<>(environment);
    env.put("WATCH_NAMESPACES", namespaces);
    env.put("HEALTH_PORT", "0");
    var requests = new WriteCounter();
    var config = cluster.config(namespaces.split(",")[0]);
    if (impersonate != null) {
      config.setImpersonateUsername(impersonate);
      config.setImpersonateGroups(
          "system:serviceaccounts",
          "system:serviceaccounts:" + impersonate.split(":")[2],
          "system:authenticated");
    }
    var client =
        DjangoOperator.clientBuilder(http -> http.addOrReplaceInterceptor("count", requests))
            .withConfig(DjangoOperator.config(config))
            .build();
    return new Running(
        DjangoOperator.start(client, OperatorSettings.fromEnvironment(env)), client, requests);
  }

  public Running running() {
    return running;
  }

  /** Stops the operator, as a crash or a rolling update of the operator would. */
  public void stop() {
    if (running != null) {
      running.operator().close();
      running.client().close();
      running = null;
    }
  }

  /** Replaces the running operator with one watching the given namespaces (comma-separated). */
  public Running restartWatching(String namespaces) {
    stop();
    running = start(namespaces);
    return running;
  }

  public Running restart() {
    var namespace = ClusterExtension.namespace(context).name();
    stop();
    running = start(namespace);
    return running;
  }

  public static void installCrd(Cluster cluster) {
    try (var client = cluster.client("default")) {
      var crd =
          client
              .getKubernetesSerialization()
              .unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .fieldManager("django-operator-tests")
          .forceConflicts()
          .serverSideApply();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var current =
                    client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .get();
                // A CRD just created may have a status without conditions yet.
                return current.getStatus() != null
                    && current.getStatus().getConditions() != null
                    && current.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
