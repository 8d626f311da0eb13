package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ProcessSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment per process that is not a singleton (a Celery worker). Its image is the web's, as
 * the release gate decided it ({@link AppInputs#webImage}): it moves to a new image in the same
 * reconcile as the web, once the migrations for that image succeeded, and never before.
 */
public class ProcessDeploymentDependent extends BulkChildDependent<Deployment> {
  public static final String NAME = "process-deployments";

  public ProcessDeploymentDependent() {
    super(Deployment.class);
  }

  /** Only processes' Deployments: the web's has its own informer. */
  @Override
  protected String labelSelector() {
    return DjangoAppResources.PROCESS_SELECTOR;
  }

  @Override
  protected Map<String, Deployment> desiredByName(DjangoApp app, Context<DjangoApp> context) {
    return build(app, AppInputs.from(context), SecretKeyDependent.uid(context));
  }

  static Map<String, Deployment> build(
      DjangoApp app, AppInputs inputs, Optional<String> secretKeyUid) {
    var image = inputs.webImage().orElseThrow(); // gated: DeploymentReleased
    var hash = DeploymentDependent.configHash(app, inputs, secretKeyUid);
    var out = new LinkedHashMap<String, Deployment>();
    for (var process : processes(app)) {
      var name = DjangoAppResources.process(app, process.name);
      out.put(
          name,
          new DeploymentBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(app.getMetadata().getNamespace())
              .withLabels(DjangoAppResources.processLabels(app, process.name))
              .endMetadata()
              .withNewSpec()
              // An autoscaled process's replicas are the autoscaler's alone.
              .withReplicas(
                  process.autoscaling != null
                      ? null
                      : process.replicas != null ? process.replicas : 1)
              .withNewSelector()
              .withMatchLabels(DjangoAppResources.processSelector(app, process.name))
              .endSelector()
              .withTemplate(ProcessPodTemplate.build(app, process, inputs, image, hash))
              .endSpec()
              .build());
    }
    return out;
  }

  static List<ProcessSpec> processes(DjangoApp app) {
    return app.getSpec().processes == null
        ? List.of()
        : app.getSpec().processes.stream().filter(p -> !Boolean.TRUE.equals(p.singleton)).toList();
  }

  @Override
  protected List<String> names(DjangoApp app) {
    return processes(app).stream().map(p -> DjangoAppResources.process(app, p.name)).toList();
  }
}
