package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;

/**
 * The web pods' PodDisruptionBudget: a drain evicts them one at a time. maxUnavailable 1 rather
 * than minAvailable 1: it follows the replicas an autoscaler chooses, and never blocks a drain
 * (with one pod, minAvailable 1 would). Pods that are not ready may always be evicted
 * (AlwaysAllow), so a broken pod never holds up a node's maintenance. Exists only while {@link
 * DisruptionBudgetWanted}.
 */
public class WebDisruptionBudgetDependent extends ChildDependent<PodDisruptionBudget>
    implements Creator<PodDisruptionBudget, DjangoApp>,
        Updater<PodDisruptionBudget, DjangoApp>,
        GarbageCollected<DjangoApp> {
  public static final String NAME = "disruption-budget";

  public WebDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app);
  }

  static PodDisruptionBudget build(DjangoApp app) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(DjangoAppResources.disruptionBudget(app))
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(DjangoAppResources.selector(app, DjangoAppResources.WEB))
        .endSelector()
        .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .endSpec()
        .build();
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.disruptionBudget(app);
  }
}
