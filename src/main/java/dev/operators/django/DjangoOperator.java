package dev.operators.django;

import dev.operators.django.config.OperatorSettings;
import dev.operators.django.kube.CompressedLists;
import dev.operators.django.kube.OperatorSerialization;
import dev.operators.django.kube.SupportedKubernetes;
import dev.operators.django.leader.Leadership;
import dev.operators.django.leader.LeaseFence;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
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
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: reads the settings from the environment, registers the DjangoApp reconciler for
 * all namespaces or WATCH_NAMESPACES, serves the health endpoints, and stops gracefully on SIGTERM:
 * in-flight reconciles finish without writing status (up to 10 seconds), the Lease is released so
 * that a standby takes over at once, and the process exits with status 0.
 *
 * <p>With leader election, every write goes through the {@link LeaseFence}: a replica that cannot
 * prove it still holds the Lease sends nothing (see there for the timing).
 *
 * <p>Longer than the ~250 lines a class should stay under, on purpose: start-up and shutdown are an
 * order of steps (client, fence, registration, health, then the reverse), and that order is the
 * point; read in one file it can be checked against the SIGTERM contract above.
 */
public final class DjangoOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DjangoOperator.class);
  public static final String LEASE_NAME = "django-operator";

  /** How long stopping waits for in-flight reconciles; they write no status once it started. */
  static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(10);

  private final Operator operator;
  private final HealthServer health;

  private final DjangoAppReconciler reconciler;
  private final Optional<Leadership> leadership;
  private final KubernetesClient client;

  private DjangoOperator(
      Operator operator,
      HealthServer health,
      DjangoAppReconciler reconciler,
      Optional<Leadership> leadership,
      KubernetesClient client) {
    this.client = client;
    this.operator = operator;
    this.health = health;
    this.reconciler = reconciler;
    this.leadership = leadership;
  }

  public static void main(String[] args) {
    // First: a SIGTERM while the caches sync is a request to stop too, and the Lease is taken
    // only once they are synced, so there is nothing to give back yet.
    exitZeroOnSigterm();
    var settings = OperatorSettings.fromEnvironment(System.getenv());
    var leadership = leadership(settings);
    // The identity in the User-Agent makes each replica's requests its own in the API server's
    // audit log (both replicas authenticate as the same ServiceAccount).
    var config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withUserAgent("django-operator/" + settings.identity())
            .build();
    var client =
        clientBuilder(http -> leadership.ifPresent(l -> l.fence().install(http)))
            .withConfig(config(config))
            .build();
    try {
      var running = start(client, settings, leadership);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "django-operator-shutdown"));
    } catch (RuntimeException e) {
      var cause = e;
      while (cause.getCause() instanceof RuntimeException next && next != cause) {
        cause = next;
      }
      // A refused version or a busy port says everything; anything else is most often a
      // missing CRD or RBAC.
      var hint =
          cause instanceof SupportedKubernetes.Unsupported || cause instanceof UncheckedIOException
              ? ""
              : ". Is the DjangoApp CRD installed (kubectl apply -f crd/) and may this identity"
                  + " list and watch DjangoApps?";
      log.error("django-operator could not start: {}{}", cause.getMessage(), hint);
      client.close();
      System.exit(1);
    }
  }

  /**
   * SIGTERM is how Kubernetes asks a pod to stop, and stopping gracefully is success: the JVM's
   * default for a signal is status 143. Exiting from the signal's own thread runs the shutdown hook
   * as usual and then exits with 0. (sun.misc.Signal is the JDK's supported way to do this: module
   * jdk.unsupported.)
   */
  @SuppressWarnings("sunapi")
  private static void exitZeroOnSigterm() {
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
  }

  /** The fence and the Lease callbacks, with leader election. */
  static Optional<Leadership> leadership(OperatorSettings settings) {
    if (!settings.leaderElection()) {
      return Optional.empty();
    }
    var fence =
        new LeaseFence(
            settings.leaseNamespace(),
            LEASE_NAME,
            settings.identity(),
            settings.leaseDuration(),
            renewDeadline(settings));
    return Optional.of(
        new Leadership(
            settings.leaseNamespace(),
            LEASE_NAME,
            settings.identity(),
            fence,
            () -> System.exit(1)));
  }

  private static Duration renewDeadline(OperatorSettings settings) {
    return settings.leaseDuration().multipliedBy(2).dividedBy(3);
  }

  /**
   * A client for the current kube context or the pod's service account, as the operator uses it.
   */
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
        .withHttpClientBuilderConsumer(
            builder -> {
              CompressedLists.install(builder);
              http.accept(builder);
            })
        .withKubernetesSerialization(OperatorSerialization.create(OperatorSettings.FIELD_MANAGER));
  }

  /**
   * Starts the operator with the given client; the caller owns the client. With leader election,
   * this client is not fenced: {@link #main} runs the fenced one.
   */
  public static DjangoOperator start(KubernetesClient client, OperatorSettings settings) {
    return start(client, settings, leadership(settings));
  }

  static DjangoOperator start(
      KubernetesClient client, OperatorSettings settings, Optional<Leadership> leadership) {
    SupportedKubernetes.require(client);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var reconciler = new DjangoAppReconciler(settings, registry);
    var operator = register(client, settings, registry, reconciler, leadership);
    // Listening first: a busy port fails the start before any of the operator's threads runs
    // (they would keep the JVM alive). /readyz answers 503 until the operator has started.
    var health =
        new HealthServer(settings.healthPort(), operator, Map.of("/metrics", registry::scrape));
    try {
      operator.start();
    } catch (RuntimeException e) {
      health.close();
      throw e;
    }
    log.info(
        "django-operator started in {} ms after JVM start: watching {}, health and metrics"
            + " on port {}{}",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        settings.watchesAllNamespaces() ? "all namespaces" : settings.watchNamespaces(),
        health.port(),
        settings.leaderElection()
            ? ", leader election in " + settings.leaseNamespace() + " as " + settings.identity()
            : "");
    return new DjangoOperator(operator, health, reconciler, leadership, client);
  }

  /** The operator with the reconciler registered and metrics bound, not yet started. */
  static Operator register(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry registry,
      DjangoAppReconciler reconciler) {
    return register(client, settings, registry, reconciler, leadership(settings));
  }

  private static Operator register(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry registry,
      DjangoAppReconciler reconciler,
      Optional<Leadership> leadership) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    var metrics =
        new AggregatedMetrics(
            List.of(
                MicrometerMetrics.newMicrometerMetricsBuilder(registry)
                    .notCollectingMetricsPerResource()
                    .build(),
                new FirstReconcile(registry)));
    var operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(metrics)
                  // Within deploy/'s terminationGracePeriodSeconds (15), with room for the Lease
                  // release.
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT);
              leadership.ifPresent(
                  lead ->
                      overrider.withLeaderElectionConfiguration(
                          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                  LEASE_NAME)
                              .withLeaseNamespace(settings.leaseNamespace())
                              .withIdentity(settings.identity())
                              .withLeaseDuration(settings.leaseDuration())
                              .withRenewDeadline(renewDeadline(settings))
                              .withRetryPeriod(settings.leaseDuration().dividedBy(7).plusMillis(1))
                              // See Leadership: its exit would deadlock inside the shutdown hook.
                              .withExitOnStopLeading(false)
                              .withLeaderCallbacks(lead.callbacks())
                              .build()));
            });
    operator.register(
        reconciler,
        controller -> {
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

  /**
   * Stops reconciling: in-flight reconciles finish without writing status, the informers stop, and
   * last the Lease is released, so that the standby starts at once instead of after a Lease
   * duration.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    log.info("django-operator stopping");
    leadership.ifPresent(Leadership::shuttingDown);
    reconciler.stopping();
    health.close();
    operator.stop();
    leadership.ifPresent(lead -> lead.release(client));
    log.info("django-operator stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
  }
}
