package dev.operators.django;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run for the JDK's ahead-of-time cache, which the container image ships (see
 * deploy/Dockerfile): {@code java -XX:AOTCacheOutput=operator.aot -cp django-operator.jar
 * dev.operators.django.AotTraining}. The image is built without a cluster, so this runs the
 * start-up path up to the first API call (settings, client, logging, metrics, the registered
 * reconciler and its dependents), then what every informer list does without one: JSON into the
 * model classes of each watched kind, and a TLS client hello. The classes it loads are stored
 * loaded and linked, which halves the time to the first reconcile (README, "Benchmark").
 */
public final class AotTraining {
  private static final Logger log = LoggerFactory.getLogger(AotTraining.class);

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    var settings = OperatorSettings.fromEnvironment(Map.of());
    var config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    try (var client = DjangoOperator.clientBuilder().withConfig(config).build()) {
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      var reconciler = new DjangoAppReconciler(settings, registry);
      var operator = DjangoOperator.register(client, settings, registry, reconciler);
      var controller = configuration(operator);
      var json = client.getKubernetesSerialization();
      for (var kind : kinds(reconciler, controller, client)) {
        var object =
            json.unmarshal(
                "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{}}"
                    .formatted(HasMetadata.getApiVersion(kind), HasMetadata.getKind(kind)),
                kind);
        var list =
            json.unmarshal(
                "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + json.asJson(object) + "]}",
                KubernetesList.class);
        log.debug("trained on {}", list.getItems().get(0).getKind());
      }
      registry.scrape();
    }
    var tls = SSLContext.getDefault().createSSLEngine("kubernetes.default.svc", 443);
    tls.setUseClientMode(true);
    tls.beginHandshake();
    tls.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(tls.getSession().getPacketBufferSize()));
    log.info("AOT training run done");
  }

  @SuppressWarnings("unchecked")
  static ControllerConfiguration<DjangoApp> configuration(Operator operator) {
    return (ControllerConfiguration<DjangoApp>)
        operator.getRegisteredController(DjangoAppReconciler.NAME).orElseThrow().getConfiguration();
  }

  /**
   * What the operator watches: the app, each workflow dependent's kind, and the kinds of the
   * reconciler's own informers (built here, never started).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Set<Class<? extends HasMetadata>> kinds(
      DjangoAppReconciler reconciler,
      ControllerConfiguration<DjangoApp> controller,
      KubernetesClient client)
      throws Exception {
    var kinds = new LinkedHashSet<Class<? extends HasMetadata>>();
    kinds.add(DjangoApp.class);
    for (DependentResourceSpec spec :
        controller.getWorkflowSpec().orElseThrow().getDependentResourceSpecs()) {
      var dependent =
          (DependentResource<?, ?>)
              spec.getDependentResourceClass().getDeclaredConstructor().newInstance();
      kinds.add((Class<? extends HasMetadata>) dependent.resourceType());
    }
    var primaryCache =
        (IndexerResourceCache<DjangoApp>)
            Proxy.newProxyInstance(
                AotTraining.class.getClassLoader(),
                new Class<?>[] {IndexerResourceCache.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    var context = new EventSourceContext<>(primaryCache, controller, client, DjangoApp.class);
    for (var source : reconciler.prepareEventSources(context)) {
      // an event source of its own informers (HostWatch) names no single kind
      if (HasMetadata.class.isAssignableFrom(source.resourceType())) {
        kinds.add((Class<? extends HasMetadata>) source.resourceType());
      }
    }
    return kinds;
  }
}
