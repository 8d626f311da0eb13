package dev.operators.django.dependent;

import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ServiceSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.Optional;

/** The Service: port 8000 to the pods' gunicorn port; ClusterIP, or NodePort when asked. */
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, DjangoApp>
    implements ChildResource {

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
  public Optional<Service> getSecondaryResource(DjangoApp app, Context<DjangoApp> context) {
    return ChildResource.owned(eventSource(), childName(app), app);
  }

  @Override
  protected InformerEventSource<Service, DjangoApp> createEventSource(
      EventSourceContext<DjangoApp> context) {
    var source = ChildResource.informer(context, Service.class, name(), MANAGED_SELECTOR,
        getSecondaryToPrimaryMapper(context).orElseThrow());
    setEventSource(source);
    return source;
  }

  @Override
  public String kind() {
    return "Service";
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.service(app);
  }
}
