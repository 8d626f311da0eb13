package dev.operators.django.workload;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The Django container and pod settings shared by every pod of the app (the web, the processes, the
 * schedules and the management Jobs): the same image and exactly the same environment, under the
 * restricted Pod Security Standard.
 */
public final class DjangoContainer {
  private DjangoContainer() {}

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

  private static ResourceRequirements resources(DjangoApp app) {
    if (app.getSpec().resources != null) {
      return app.getSpec().resources;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
        .build();
  }
}
