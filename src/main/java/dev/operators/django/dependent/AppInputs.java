package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.tls.TlsOutcome;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * Everything besides the DjangoApp that the children's desired state depends on: the operator's
 * settings and what the reconciler observed of the Secrets and ConfigMaps the app references. The
 * reconciler puts it into the context before it runs the workflow, so desired() makes no calls.
 *
 * @param tls the app's TLS settings and the issuer the Ingress asks cert-manager for; empty without
 *     TLS
 * @param webImage the image the web Deployment may run (the release gate's answer); empty: no
 *     Deployment yet
 * @param hosts which of the app's hosts belong to another app or Ingress
 */
public record AppInputs(
    OperatorSettings settings,
    ObservedReferences references,
    Optional<TlsOutcome> tls,
    Optional<String> webImage,
    HostDecision hosts) {

  private static final String KEY = AppInputs.class.getName();

  public static AppInputs from(Context<DjangoApp> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, AppInputs.class);
  }

  public void putInto(Context<DjangoApp> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }
}
