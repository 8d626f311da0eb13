package dev.operators.django.dependent;

import dev.operators.django.api.DatabaseSpec;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.SettingsSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The ConfigMap of non-secret Django settings, read by the pods through envFrom. */
public class ConfigMapDependent extends ChildDependent<ConfigMap>
    implements Creator<ConfigMap, DjangoApp>, Updater<ConfigMap, DjangoApp>,
    GarbageCollected<DjangoApp> {

  public ConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app);
  }

  static ConfigMap build(DjangoApp app) {
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(DjangoAppResources.configMap(app))
          .withNamespace(app.getMetadata().getNamespace())
          .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .endMetadata()
        .withData(data(app))
        .build();
  }

  /** The tutorial's environment contract, minus the secrets, plus settings.env. */
  public static Map<String, String> data(DjangoApp app) {
    var spec = app.getSpec();
    var settings = Optional.ofNullable(spec.settings).orElseGet(SettingsSpec::new);
    var data = new TreeMap<String, String>(settings.env);
    data.put("DEBUG", Boolean.TRUE.equals(settings.debug) ? "True" : "False");
    data.put("DJANGO_LOGLEVEL",
        Optional.ofNullable(settings.logLevel).orElse(SettingsSpec.LogLevel.info).name());
    data.put("DJANGO_ALLOWED_HOSTS", String.join(",", allowedHosts(app)));
    if (spec.database != null) {
      var db = spec.database;
      data.put("DATABASE_ENGINE",
          Optional.ofNullable(db.engine).orElse(DatabaseSpec.Engine.postgresql).name());
      data.put("DATABASE_HOST", db.host);
      data.put("DATABASE_PORT", String.valueOf(Optional.ofNullable(db.port).orElse(5432)));
      data.put("DATABASE_NAME", db.name);
    }
    if (spec.staticFiles != null) {
      data.put("STATIC_BUCKET_NAME", spec.staticFiles.bucket);
      data.put("STATIC_ENDPOINT_URL", spec.staticFiles.endpointUrl);
    }
    return data;
  }

  /** Written hosts; else the ingress host; else the Service's in-cluster names. Never "*". */
  public static List<String> allowedHosts(DjangoApp app) {
    var spec = app.getSpec();
    if (spec.settings != null && !spec.settings.allowedHosts.isEmpty()) {
      return spec.settings.allowedHosts;
    }
    if (spec.ingress != null && spec.ingress.host != null) {
      return List.of(spec.ingress.host);
    }
    var service = DjangoAppResources.service(app);
    var host = DjangoAppResources.serviceHost(app);
    return List.of(service, host, host + ".cluster.local");
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.configMap(app);
  }
}
