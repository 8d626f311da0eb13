package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The Deployment is created only once the first image has been migrated. An existing Deployment
 * always has an image to run (the one it runs), so this never deletes it.
 */
public class DeploymentReleased implements Condition<Deployment, DjangoApp> {
  @Override
  public boolean isMet(
      DependentResource<Deployment, DjangoApp> dependentResource,
      DjangoApp app,
      Context<DjangoApp> context) {
    return AppInputs.from(context).webImage().isPresent();
  }
}
