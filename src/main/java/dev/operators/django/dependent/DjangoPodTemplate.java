package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The Django container and pod settings shared by the web Deployment and the management Jobs:
 * the same image and exactly the same environment, under the restricted Pod Security Standard.
 */
public final class DjangoPodTemplate {
  private DjangoPodTemplate() {}

  /** The web pods: gunicorn on port 8000 with probes, annotated with the configuration hash. */
  static PodTemplateSpec build(DjangoApp app, String image, String configHash) {
    var web = new ContainerBuilder(container(app)).withImage(image)
        .addNewPort()
          .withName(DjangoAppResources.PORT_NAME)
          .withContainerPort(DjangoAppResources.PORT)
          .withProtocol("TCP")
        .endPort()
        .withReadinessProbe(probe(app, null, 10))
        .withLivenessProbe(probe(app, 15, 20))
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
  public static Container container(DjangoApp app) {
    return new ContainerBuilder()
        .withName(DjangoAppResources.CONTAINER)
        .withImage(app.getSpec().image)
        .withEnvFrom(envFrom(app))
        .withEnv(env(app))
        .withResources(resources(app))
        .withSecurityContext(new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities().withDrop("ALL").endCapabilities()
            .build())
        .build();
  }

  public static PodSecurityContext podSecurityContext(DjangoApp app) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(app.getSpec().runAsUser)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** The generated ConfigMap first, then the user's sources, which may override its keys. */
  static List<EnvFromSource> envFrom(DjangoApp app) {
    var sources = new ArrayList<EnvFromSource>();
    sources.add(new EnvFromSourceBuilder()
        .withNewConfigMapRef().withName(DjangoAppResources.configMap(app)).endConfigMapRef()
        .build());
    for (var source : app.getSpec().envFrom) {
      var builder = new EnvFromSourceBuilder().withPrefix(source.prefix);
      if (source.configMapRef != null) {
        builder.withNewConfigMapRef().withName(source.configMapRef.name).endConfigMapRef();
      } else {
        builder.withNewSecretRef().withName(source.secretRef.name).endSecretRef();
      }
      sources.add(builder.build());
    }
    return sources;
  }

  /** Credentials, referenced from their Secrets and never copied. */
  static List<EnvVar> env(DjangoApp app) {
    var spec = app.getSpec();
    var env = new ArrayList<EnvVar>();
    if (spec.secretKey != null) {
      env.add(secretEnv(DjangoAppResources.SECRET_KEY, spec.secretKey.secretName,
          spec.secretKey.key != null ? spec.secretKey.key : DjangoAppResources.SECRET_KEY));
    } else {
      env.add(secretEnv(DjangoAppResources.SECRET_KEY, DjangoAppResources.secretKeySecret(app),
          DjangoAppResources.SECRET_KEY));
    }
    if (spec.database != null && spec.database.credentialsSecret != null) {
      env.add(secretEnv("DATABASE_USERNAME", spec.database.credentialsSecret, "username"));
      env.add(secretEnv("DATABASE_PASSWORD", spec.database.credentialsSecret, "password"));
    }
    if (spec.staticFiles != null && spec.staticFiles.credentialsSecret != null) {
      env.add(secretEnv("STATIC_ACCESS_KEY_ID", spec.staticFiles.credentialsSecret, "accessKeyId"));
      env.add(secretEnv("STATIC_SECRET_KEY", spec.staticFiles.credentialsSecret, "secretKey"));
    }
    return env;
  }

  public static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom().withNewSecretKeyRef(key, secret, false).endValueFrom()
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

  /** TCP by default; HTTP with the public host as Host header when a path is given. */
  static Probe probe(DjangoApp app, Integer initialDelaySeconds, int periodSeconds) {
    var probe = new ProbeBuilder()
        .withInitialDelaySeconds(initialDelaySeconds)
        .withPeriodSeconds(periodSeconds);
    var port = new IntOrString(DjangoAppResources.PORT_NAME);
    var path = app.getSpec().probes != null ? app.getSpec().probes.httpPath : null;
    if (path == null) {
      return probe.withNewTcpSocket().withPort(port).endTcpSocket().build();
    }
    return probe.withNewHttpGet()
          .withPath(path)
          .withPort(port)
          .addNewHttpHeader("Host", ConfigMapDependent.allowedHosts(app).get(0))
        .endHttpGet()
        .build();
  }
}
