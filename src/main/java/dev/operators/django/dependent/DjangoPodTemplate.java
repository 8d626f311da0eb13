package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.workload.DjangoContainer;
import dev.operators.django.workload.DjangoSettings;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * The web's pods: the Django container ({@link DjangoContainer}, as every pod of the app runs it)
 * with gunicorn's port, probes and a graceful stop.
 */
public final class DjangoPodTemplate {
  static final long PRE_STOP_SLEEP_SECONDS = 10;

  private DjangoPodTemplate() {}

  /** The web pods: gunicorn on port 8000 with probes, annotated with the configuration hash. */
  static PodTemplateSpec build(
      DjangoApp app, ObservedReferences refs, String image, String configHash) {
    var web =
        new ContainerBuilder(DjangoContainer.container(app, refs))
            .withImage(image)
            .addNewPort()
            .withName(DjangoAppResources.PORT_NAME)
            .withContainerPort(DjangoAppResources.PORT)
            .withProtocol("TCP")
            .endPort()
            .withReadinessProbe(probe(app, null, 10))
            .withLivenessProbe(probe(app, 15, 20))
            // A terminating pod stays in kube-proxy's and the ingress controller's rules for a
            // moment after it is marked; gunicorn keeps serving meanwhile instead of refusing them.
            .withNewLifecycle()
            .withNewPreStop()
            .withNewSleep(PRE_STOP_SLEEP_SECONDS)
            .endPreStop()
            .endLifecycle()
            .build();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .addToAnnotations(DjangoAppResources.CONFIG_HASH_ANNOTATION, configHash)
        .endMetadata()
        .withNewSpec()
        .withContainers(web)
        .withSecurityContext(DjangoContainer.podSecurityContext(app))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .endSpec()
        .build();
  }

  /** TCP by default; HTTP when a path is given, with a Host that ALLOWED_HOSTS accepts. */
  static Probe probe(DjangoApp app, Integer initialDelaySeconds, int periodSeconds) {
    var probe =
        new ProbeBuilder()
            .withInitialDelaySeconds(initialDelaySeconds)
            .withPeriodSeconds(periodSeconds);
    var port = new IntOrString(DjangoAppResources.PORT_NAME);
    var path = app.getSpec().probes != null ? app.getSpec().probes.httpPath : null;
    if (path == null) {
      return probe.withNewTcpSocket().withPort(port).endTcpSocket().build();
    }
    return probe
        .withNewHttpGet()
        .withPath(path)
        .withPort(port)
        .addNewHttpHeader("Host", DjangoSettings.probeHost(app))
        .endHttpGet()
        .build();
  }
}
