package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.workload.DjangoSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;

/** The ConfigMap of non-secret Django settings, read by the pods through envFrom. */
public class ConfigMapDependent extends ChildDependent<ConfigMap>
    implements Creator<ConfigMap, DjangoApp>,
        Updater<ConfigMap, DjangoApp>,
        GarbageCollected<DjangoApp> {
  public static final String NAME = "config-map";

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
        .withData(DjangoSettings.data(app))
        .build();
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.configMap(app);
  }
}
