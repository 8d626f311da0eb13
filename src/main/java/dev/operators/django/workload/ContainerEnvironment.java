package dev.operators.django.workload;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.EnvironmentStatus;
import dev.operators.django.references.ObservedReferences;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The Django container's environment, the same for the web pods and the management Jobs.
 *
 * <p>The kubelet resolves {@code envFrom} first, each source over the previous one, and then {@code
 * env} over all of them. So {@code envFrom} holds only the user's sources, and {@code env} every
 * variable the spec defines: the settings ConfigMap's keys by reference, and the credentials by
 * {@code secretKeyRef}. The spec therefore always wins over what a user's source also sets (the
 * tutorial's polls-config sets {@code DEBUG=True}), with one exception: a DJANGO_SECRET_KEY that a
 * user's source provides is used instead of the generated one, which would otherwise replace it
 * silently and log everybody out.
 *
 * @param overridden variables that a user's source provides and the spec overrides, each with its
 *     source
 */
public record ContainerEnvironment(
    List<EnvFromSource> envFrom,
    List<EnvVar> env,
    String secretKeySource,
    List<String> overridden) {

  public static ContainerEnvironment of(DjangoApp app, ObservedReferences refs) {
    var spec = app.getSpec();
    var envFrom = new ArrayList<EnvFromSource>();
    var provided = new LinkedHashMap<String, String>();
    for (int i = 0; i < spec.envFrom.size(); i++) {
      var source = spec.envFrom.get(i);
      var builder = new EnvFromSourceBuilder().withPrefix(source.prefix);
      String kind;
      String name;
      if (source.configMapRef != null) {
        kind = "ConfigMap";
        name = source.configMapRef.name;
        builder.withNewConfigMapRef().withName(name).endConfigMapRef();
      } else {
        kind = "Secret";
        name = source.secretRef.name;
        builder.withNewSecretRef().withName(name).endSecretRef();
      }
      envFrom.add(builder.build());
      var prefix = source.prefix != null ? source.prefix : "";
      for (var key : refs.keysOf(kind, name)) {
        provided.put(prefix + key, kind + " " + name + " (spec.envFrom[" + i + "])");
      }
    }

    var env = new ArrayList<EnvVar>();
    var settings = DjangoAppResources.configMap(app);
    for (var key : DjangoSettings.data(app).keySet()) {
      env.add(
          new EnvVarBuilder()
              .withName(key)
              .withNewValueFrom()
              .withNewConfigMapKeyRef(key, settings, false)
              .endValueFrom()
              .build());
    }
    String secretKeySource;
    if (spec.secretKey != null) {
      var key = spec.secretKey.key != null ? spec.secretKey.key : DjangoAppResources.SECRET_KEY;
      env.add(secretEnv(DjangoAppResources.SECRET_KEY, spec.secretKey.secretName, key));
      secretKeySource =
          "Secret " + spec.secretKey.secretName + ", key " + key + " (spec.secretKey)";
    } else if (provided.containsKey(DjangoAppResources.SECRET_KEY)) {
      secretKeySource = provided.get(DjangoAppResources.SECRET_KEY);
    } else {
      var generated = DjangoAppResources.secretKeySecret(app);
      env.add(secretEnv(DjangoAppResources.SECRET_KEY, generated, DjangoAppResources.SECRET_KEY));
      secretKeySource = "Secret " + generated + " (generated)";
    }
    if (spec.database != null && spec.database.credentialsSecret != null) {
      env.add(secretEnv("DATABASE_USERNAME", spec.database.credentialsSecret, "username"));
      env.add(secretEnv("DATABASE_PASSWORD", spec.database.credentialsSecret, "password"));
    }
    if (spec.staticFiles != null && spec.staticFiles.credentialsSecret != null) {
      env.add(secretEnv("STATIC_ACCESS_KEY_ID", spec.staticFiles.credentialsSecret, "accessKeyId"));
      env.add(secretEnv("STATIC_SECRET_KEY", spec.staticFiles.credentialsSecret, "secretKey"));
    }
    var overridden =
        env.stream()
            .map(EnvVar::getName)
            .filter(provided::containsKey)
            .map(name -> name + " from " + provided.get(name))
            .toList();
    return new ContainerEnvironment(envFrom, env, secretKeySource, overridden);
  }

  public static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secret, false)
        .endValueFrom()
        .build();
  }

  /** What the status reports of it: sources, never values. */
  public EnvironmentStatus status() {
    var status = new EnvironmentStatus();
    status.secretKey = secretKeySource;
    status.overridden = new ArrayList<>(overridden);
    return status;
  }
}
