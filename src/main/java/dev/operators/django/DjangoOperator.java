package dev.operators.django;

import dev.operators.django.config.OperatorSettings;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
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
    var client = new KubernetesClientBuilder().build();
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

  /** Starts the operator with the given client; the caller owns the client. */
  public static DjangoOperator start(KubernetesClient client, OperatorSettings settings) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    var metrics = MicrometerMetrics.newMicrometerMetricsBuilder(registry)
        .notCollectingMetricsPerResource()
        .build();
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
    var reconciler = new DjangoAppReconciler(settings, registry);
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
    operator.start();
    var health = new HealthServer(settings.healthPort(), operator,
        Map.of("/metrics", registry::scrape));
    log.info("django-operator started: watching {}, health and metrics on port {}{}",
        settings.watchesAllNamespaces() ? "all namespaces" : settings.watchNamespaces(),
        health.port(), settings.leaderElection()
            ? ", leader election in " + settings.leaseNamespace() + " as " + settings.identity()
            : "");
    log.info("django-operator started in {} ms after JVM start",
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    return new DjangoOperator(operator, health, reconciler);
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
