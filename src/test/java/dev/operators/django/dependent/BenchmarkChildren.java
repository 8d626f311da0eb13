package dev.operators.django.dependent;

import dev.operators.django.references.ObservedReferences;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * The five children exactly as the operator renders them, for the benchmark's direct-apply
 * baseline (the physical limit: the API server accepting the same writes, with no operator).
 */
public final class BenchmarkChildren {
  private BenchmarkChildren() {}

  public static List<HasMetadata> of(DjangoApp app) {
    var inputs = TestApps.inputs(app);
    return List.of(
        ConfigMapDependent.build(app),
        SecretKeyDependent.build(app, SecretKeyDependent.generateKey()),
        DeploymentDependent.build(app, inputs, Optional.of("uid")),
        ServiceDependent.build(app),
        IngressDependent.build(app, inputs));
  }
}
