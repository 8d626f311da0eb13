package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The Django container and pod settings shared by the web Deployment and the management Jobs: the
 * same image and exactly the same environment, under the restricted Pod Security Standard.
 */
public final class DjangoPodTemplate {
  static final long PRE_STOP_SLEEP_SECONDS = 10;

  private DjangoPodTemplate() {}

  /** The web pods: gunicorn on port 8000 with probes, annotated with the configuration hash. */
  static PodTemplateSpec build(
      DjangoApp app, ObservedReferences refs, String image, String configHash) {
    var web =
        new ContainerBuilder(container(app, refs))
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
        .withSecurityContext(podSecurityContext(app))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .endSpec()
        .build();
  }

  /** The Django container: image, environment and security, without ports or probes. */
  public static Container container(DjangoApp app, ObservedReferences refs) {
    var environment = ContainerEnvironment.of(app, refs);
    return new ContainerBuilder()
        .withName(DjangoAppResources.CONTAINER)
        .withImage(app.getSpec().image)
        .withEnvFrom(environment.envFrom())
        .withEnv(environment.env())
        .withResources(resources(app))
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build())
        .build();
  }

  public static PodSecurityContext podSecurityContext(DjangoApp app) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(app.getSpec().runAsUser)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static ResourceRequirements resources(DjangoApp app) {
    if (app.getSpec().resources != null) {
      return app.getSpec().resources;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
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
        .addNewHttpHeader("Host", ConfigMapDependent.probeHost(app))
        .endHttpGet()
        .build();
  }
}
