package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ServiceSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;

/** The Service: port 8000 to the pods' gunicorn port; ClusterIP, or NodePort when asked. */
public class ServiceDependent extends ChildDependent<Service>
    implements Creator<Service, DjangoApp>,
        Updater<Service, DjangoApp>,
        GarbageCollected<DjangoApp> {

  public static final String NAME = "service";

  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app);
  }

  static Service build(DjangoApp app) {
    var spec = app.getSpec().service;
    var type = spec != null && spec.type != null ? spec.type : ServiceSpec.Type.ClusterIP;
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(DjangoAppResources.service(app))
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .endMetadata()
        .withNewSpec()
        .withType(type.name())
        .withSelector(DjangoAppResources.selector(app, DjangoAppResources.WEB))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(DjangoAppResources.PORT)
        .withTargetPort(new IntOrString(DjangoAppResources.PORT_NAME))
        .withNodePort(spec != null ? spec.nodePort : null)
        .endPort()
        .endSpec()
        .build();
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.service(app);
  }
}
