package dev.operators.django;

import dev.operators.django.client.CompressedLists;
import dev.operators.django.client.OperatorSerialization;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: reads the settings from the environment, registers the DjangoApp reconciler
 * for all namespaces or WATCH_NAMESPACES, serves the health endpoints, and stops gracefully on
 * SIGTERM (in-flight reconciles finish, up to 30 seconds).
 */
public final class DjangoOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DjangoOperator.class);
  public static final String LEASE_NAME = "django-operator";

  private final Operator operator;
  private final HealthServer health;

  private final DjangoAppReconciler reconciler;

  private DjangoOperator(Operator operator, HealthServer health, DjangoAppReconciler reconciler) {
    this.operator = operator;
    this.health = health;
    this.reconciler = reconciler;
  }

  public static void main(String[] args) {
    var settings = OperatorSettings.fromEnvironment(System.getenv());
    var client = clientBuilder().withConfig(config(Config.autoConfigure(null))).build();
    try {
      var running = start(client, settings);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "django-operator-shutdown"));
    } catch (RuntimeException e) {
      var cause = e;
      while (cause.getCause() instanceof RuntimeException next && next != cause) {
        cause = next;
      }
      log.error("django-operator could not start: {}. Is the DjangoApp CRD installed"
          + " (kubectl apply -f crd/) and may this identity list and watch DjangoApps?",
          cause.getMessage());
      client.close();
      System.exit(1);
    }
  }

  /** A client for the current kube context or the pod's service account, as the operator uses it. */
  public static KubernetesClientBuilder clientBuilder() {
    return clientBuilder(http -> {});
  }

  /**
   * The operator's client settings on top of {@code base}: a request that fails is sent again
   * twice, not ten times (fabric8's default, with up to 50 s of backoff). A refused write is
   * reported and retried by the reconciler with its own backoff, and a server error that is not
   * transient (server-side apply answers an unconvertible object with a 500) would otherwise be
   * sent ten times per attempt.
   */
  public static Config config(Config base) {
    base.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    return base;
  }

  static final int REQUEST_RETRIES = 2;

  /**
   * The operator's client, with more set up on its HTTP client (fabric8's builder keeps one
   * consumer of it, so a second one would replace the operator's).
   */
  public static KubernetesClientBuilder clientBuilder(Consumer<HttpClient.Builder> http) {
    return new KubernetesClientBuilder()
        .withHttpClientBuilderConsumer(builder -> {
          CompressedLists.install(builder);
          http.accept(builder);
        })
        .withKubernetesSerialization(
            OperatorSerialization.create(DjangoAppReconciler.FIELD_MANAGER));
  }

  /** Starts the operator with the given client; the caller owns the client. */
  public static DjangoOperator start(KubernetesClient client, OperatorSettings settings) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var reconciler = new DjangoAppReconciler(settings, registry);
    var operator = register(client, settings, registry, reconciler);
    operator.start();
    var health = new HealthServer(settings.healthPort(), operator,
        Map.of("/metrics", registry::scrape));
    log.info("django-operator started in {} ms after JVM start: watching {}, health and metrics"
        + " on port {}{}", ManagementFactory.getRuntimeMXBean().getUptime(),
        settings.watchesAllNamespaces() ? "all namespaces" : settings.watchNamespaces(),
        health.port(), settings.leaderElection()
            ? ", leader election in " + settings.leaseNamespace() + " as " + settings.identity()
            : "");
    return new DjangoOperator(operator, health, reconciler);
  }

  /** The operator with the reconciler registered and metrics bound, not yet started. */
  static Operator register(KubernetesClient client, OperatorSettings settings,
      MeterRegistry registry, DjangoAppReconciler reconciler) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    var metrics = new AggregatedMetrics(List.of(
        MicrometerMetrics.newMicrometerMetricsBuilder(registry)
            .notCollectingMetricsPerResource()
            .build(),
        new FirstReconcile(registry)));
    var operator = new Operator(overrider -> {
      overrider
          .withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(metrics)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(30));
      if (settings.leaderElection()) {
        overrider.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(LEASE_NAME)
            .withLeaseNamespace(settings.leaseNamespace())
            .withIdentity(settings.identity())
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.leaseDuration().multipliedBy(2).dividedBy(3))
            .withRetryPeriod(settings.leaseDuration().dividedBy(7).plusMillis(1))
            .build());
      }
    });
    operator.register(reconciler, controller -> {
      controller.withReconciliationMaxInterval(settings.resyncInterval());
      if (!settings.watchesAllNamespaces()) {
        controller.settingNamespaces(settings.watchNamespaces());
        if (settings.watchNamespaces().size() > 1) {
          // One informer per namespace, and they would share the one store instance: see
          // PrunedItemStore.forController.
          controller.withItemStore(null);
        }
      }
    });
    return operator;
  }

  public int healthPort() {
    return health.port();
  }

  @Override
  public void close() {
    log.info("django-operator stopping");
    reconciler.stopping();
    health.close();
    operator.stop();
  }
}
