package dev.operators.django;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
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
  private static final List<Class<? extends HasMetadata>> KINDS = List.of(DjangoApp.class,
      Deployment.class, Service.class, Ingress.class, ConfigMap.class, Secret.class, Job.class,
      Pod.class, StatefulSet.class, CronJob.class, PodDisruptionBudget.class,
      HorizontalPodAutoscaler.class);

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    var settings = OperatorSettings.fromEnvironment(Map.of());
    var config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    try (var client = DjangoOperator.clientBuilder().withConfig(config).build()) {
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      DjangoOperator.register(client, settings, registry,
          new DjangoAppReconciler(settings, registry));
      var json = client.getKubernetesSerialization();
      for (var kind : KINDS) {
        var object = json.unmarshal("{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{}}"
            .formatted(HasMetadata.getApiVersion(kind), HasMetadata.getKind(kind)), kind);
        var list = json.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
            + json.asJson(object) + "]}", KubernetesList.class);
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
}
