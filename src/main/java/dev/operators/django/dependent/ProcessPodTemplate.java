package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ProcessProbeSpec;
import dev.operators.django.api.ProcessSpec;
import dev.operators.django.workload.DjangoContainer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * The pods of a process: the web's container (image, environment, security, resources) with the
 * process's command instead of gunicorn, no port, its own probes, and the web's configuration hash,
 * so that a changed setting or rotated Secret rolls the processes with the web.
 */
public final class ProcessPodTemplate {
  private ProcessPodTemplate() {}

  static PodTemplateSpec build(
      DjangoApp app, ProcessSpec process, AppInputs inputs, String image, String configHash) {
    var container =
        new ContainerBuilder(DjangoContainer.container(app, inputs.references()))
            .withImage(image)
            .withCommand(process.command)
            .withArgs(process.args)
            .withReadinessProbe(probe(process.readinessProbe))
            .withLivenessProbe(probe(process.livenessProbe));
    if (process.resources != null) {
      container.withResources(process.resources);
    }
    boolean singleton = Boolean.TRUE.equals(process.singleton);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(DjangoAppResources.processLabels(app, process.name))
        .addToAnnotations(DjangoAppResources.CONFIG_HASH_ANNOTATION, configHash)
        .endMetadata()
        .withNewSpec()
        .withContainers(container.build())
        .withSecurityContext(DjangoContainer.podSecurityContext(app))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        // One pod of a singleton cannot be spread; pod-template-hash is a Deployment's label.
        .withTopologySpreadConstraints(
            singleton
                ? null
                : TopologySpread.of(app, DjangoAppResources.processSelector(app, process.name)))
        .endSpec()
        .build();
  }

  static Probe probe(ProcessProbeSpec spec) {
    if (spec == null) {
      return null;
    }
    var probe =
        new ProbeBuilder()
            .withInitialDelaySeconds(spec.initialDelaySeconds)
            .withPeriodSeconds(spec.periodSeconds != null ? spec.periodSeconds : 30)
            .withTimeoutSeconds(spec.timeoutSeconds != null ? spec.timeoutSeconds : 10)
            .withFailureThreshold(spec.failureThreshold);
    if (spec.command != null) {
      return probe.withNewExec().withCommand(spec.command).endExec().build();
    }
    return probe
        .withNewHttpGet()
        .withPath(spec.httpPath)
        .withPort(new IntOrString(spec.port))
        .endHttpGet()
        .build();
  }
}
