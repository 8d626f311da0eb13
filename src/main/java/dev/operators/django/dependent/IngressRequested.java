package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.hosts.HostDecision;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The Ingress exists only while the spec asks for one and its host is the app's own (see {@link
 * HostDecision}); removing spec.ingress, or losing the host, deletes it.
 */
public class IngressRequested implements Condition<Ingress, DjangoApp> {
  @Override
  public boolean isMet(
      DependentResource<Ingress, DjangoApp> dependentResource,
      DjangoApp app,
      Context<DjangoApp> context) {
    return app.getSpec().ingress != null && !AppInputs.from(context).hosts().ingressHostRefused();
  }
}
