package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The children exactly as the operator renders them (five for a web-only app), for the benchmark's
 * direct-apply baseline (the physical limit: the API server accepting the same writes, with no
 * operator).
 */
public final class BenchmarkChildren {
  private BenchmarkChildren() {}

  public static List<HasMetadata> of(DjangoApp app) {
    var inputs = TestApps.inputs(app);
    var children =
        new ArrayList<HasMetadata>(
            List.of(
                ConfigMapDependent.build(app),
                SecretKeyDependent.build(app, SecretKeyDependent.generateKey()),
                DeploymentDependent.build(app, inputs, Optional.of("uid")),
                ServiceDependent.build(app),
                IngressDependent.build(app, inputs)));
    // Processes, schedules, autoscalers and the disruption budget, when the app has them.
    children.addAll(ProcessDeploymentDependent.build(app, inputs, Optional.of("uid")).values());
    children.addAll(SingletonStatefulSetDependent.build(app, inputs, Optional.of("uid")).values());
    children.addAll(ScheduleCronJobDependent.build(app, inputs).values());
    children.addAll(AutoscalerDependent.build(app).values());
    if (DisruptionBudgetWanted.wanted(app)) {
      children.add(WebDisruptionBudgetDependent.build(app));
    }
    return children;
  }
}
