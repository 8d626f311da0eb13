package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The web's PodDisruptionBudget exists while the web can have two pods or more (replicas >= 2, or
 * an autoscaler allowed to reach 2) and spec.availability.disruptionBudget is not false; when that
 * stops, the budget is deleted.
 */
public class DisruptionBudgetWanted implements Condition<PodDisruptionBudget, DjangoApp> {
  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, DjangoApp> dependentResource,
      DjangoApp app,
      Context<DjangoApp> context) {
    return wanted(app);
  }

  public static boolean wanted(DjangoApp app) {
    var spec = app.getSpec();
    if (spec.availability != null && Boolean.FALSE.equals(spec.availability.disruptionBudget)) {
      return false;
    }
    if (spec.autoscaling != null) {
      return spec.autoscaling.maxReplicas != null && spec.autoscaling.maxReplicas >= 2;
    }
    return spec.replicas != null && spec.replicas >= 2;
  }
}
