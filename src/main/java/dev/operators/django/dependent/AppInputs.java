package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * Everything besides the DjangoApp that the children's desired state depends on: the operator's
 * settings and what the reconciler observed of the Secrets and ConfigMaps the app references. The
 * reconciler puts it into the context before it runs the workflow, so desired() makes no calls.
 *
 * @param tlsIssuer the issuer the Ingress asks cert-manager for, as decided by the reconciler
 * @param webImage the image the Deployment may run (the release gate's answer); empty: the
 *     spec's image when built without a gate, no Deployment yet when gated
 */
public record AppInputs(
    OperatorSettings settings, ObservedReferences references, Optional<String> tlsIssuer,
    Optional<String> webImage) {

  /** Inputs for an app whose desired image may be deployed right away. */
  public AppInputs(OperatorSettings settings, ObservedReferences references,
      Optional<String> tlsIssuer) {
    this(settings, references, tlsIssuer, Optional.empty());
  }

  private static final String KEY = AppInputs.class.getName();

  public static AppInputs from(Context<DjangoApp> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, AppInputs.class);
  }

  public void putInto(Context<DjangoApp> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }
}
