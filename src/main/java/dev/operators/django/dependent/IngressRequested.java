package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The Ingress exists only while the spec asks for one; removing spec.ingress deletes it. */
public class IngressRequested implements Condition<Ingress, DjangoApp> {
  @Override
  public boolean isMet(DependentResource<Ingress, DjangoApp> dependentResource, DjangoApp app,
      Context<DjangoApp> context) {
    return app.getSpec().ingress != null;
  }
}
