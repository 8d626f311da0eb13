package dev.operators.django.dependent;

import dev.operators.django.api.AutoscalingSpec;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An autoscaling/v2 HorizontalPodAutoscaler for the web Deployment when spec.autoscaling is set,
 * and one per process with autoscaling. The autoscaled Deployment's replicas are then left out of
 * the operator's apply, so that the two never fight over them. Removing autoscaling deletes it.
 */
public class AutoscalerDependent extends BulkChildDependent<HorizontalPodAutoscaler> {
  public static final String NAME = "autoscalers";

  public AutoscalerDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected Map<String, HorizontalPodAutoscaler> desiredByName(
      DjangoApp app, Context<DjangoApp> context) {
    return build(app);
  }

  static Map<String, HorizontalPodAutoscaler> build(DjangoApp app) {
    var out = new LinkedHashMap<String, HorizontalPodAutoscaler>();
    if (app.getSpec().autoscaling != null) {
      var name = DjangoAppResources.webAutoscaler(app);
      out.put(
          name,
          autoscaler(
              app,
              name,
              DjangoAppResources.labels(app, DjangoAppResources.WEB),
              DjangoAppResources.deployment(app),
              app.getSpec().autoscaling));
    }
    ProcessDeploymentDependent.processes(app).stream()
        .filter(p -> p.autoscaling != null)
        .forEach(
            p -> {
              var name = DjangoAppResources.process(app, p.name);
              out.put(
                  name,
                  autoscaler(
                      app,
                      name,
                      DjangoAppResources.processLabels(app, p.name),
                      name,
                      p.autoscaling));
            });
    return out;
  }

  private static HorizontalPodAutoscaler autoscaler(
      DjangoApp app,
      String name,
      Map<String, String> labels,
      String deployment,
      AutoscalingSpec spec) {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(deployment)
        .endScaleTargetRef()
        .withMinReplicas(spec.minReplicas != null ? spec.minReplicas : 1)
        .withMaxReplicas(spec.maxReplicas)
        .withMetrics(metrics(spec))
        .endSpec()
        .build();
  }

  private static List<MetricSpec> metrics(AutoscalingSpec spec) {
    var metrics = new ArrayList<MetricSpec>();
    if (spec.targetCPUUtilizationPercentage != null) {
      metrics.add(utilization("cpu", spec.targetCPUUtilizationPercentage));
    }
    if (spec.targetMemoryUtilizationPercentage != null) {
      metrics.add(utilization("memory", spec.targetMemoryUtilizationPercentage));
    }
    return metrics;
  }

  private static MetricSpec utilization(String resource, int percent) {
    return new MetricSpecBuilder()
        .withType("Resource")
        .withNewResource()
        .withName(resource)
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(percent)
        .endTarget()
        .endResource()
        .build();
  }

  @Override
  protected List<String> names(DjangoApp app) {
    return List.copyOf(build(app).keySet());
  }
}
