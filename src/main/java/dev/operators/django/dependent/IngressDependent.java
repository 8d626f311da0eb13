package dev.operators.django.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Ingress: a host rule to the Service and, with TLS, a stable secretName and the cert-manager
 * issuer annotation that the reconciler chose (staging first, then production).
 */
public class IngressDependent extends ChildDependent<Ingress>
    implements Creator<Ingress, DjangoApp>,
        Updater<Ingress, DjangoApp>,
        GarbageCollected<DjangoApp> {

  public static final String NAME = "ingress";

  public IngressDependent() {
    super(Ingress.class);
  }

  @Override
  protected Ingress desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app, AppInputs.from(context));
  }

  /**
   * With an annotation the platform's policy refuses, the Ingress is left as it is (or not
   * created): applied without the annotation, it could serve differently without a word (an Ingress
   * stripped of its auth-url serves without authentication). The app reports it.
   */
  @Override
  public ReconcileResult<Ingress> reconcile(DjangoApp app, Context<DjangoApp> context) {
    var refused =
        AppInputs.from(context)
            .settings()
            .annotationPolicy()
            .refused(app.getSpec().ingress.annotations, app.getMetadata().getNamespace());
    if (!refused.isEmpty()) {
      return ReconcileResult.noOperation(getSecondaryResource(app, context).orElse(null));
    }
    return super.reconcile(app, context);
  }

  /** ingress-shim copies this into the Certificate's secretTemplate, so the TLS Secret is ours. */
  static final String SECRET_TEMPLATE = "cert-manager.io/secret-template";

  private static final ObjectMapper JSON = new ObjectMapper();

  static Ingress build(DjangoApp app, AppInputs inputs) {
    var spec = app.getSpec().ingress;
    var annotations = new LinkedHashMap<>(spec.annotations);
    // While the Ingress the app takes its host over from still serves it, that Ingress's
    // Certificate keeps the shared TLS Secret, and ingress-shim would refuse a second one of the
    // same name: the app's Ingress serves the Secret without asking cert-manager for it. Once that
    // Ingress is gone (deleted with --cascade=foreground, so its Certificate went first), the
    // issuer annotation arrives, and ingress-shim makes the app's Certificate, which takes the
    // Secret's certificate over as it is when it already matches.
    inputs
        .tls()
        .filter(tls -> inputs.hosts().sharedWith().isEmpty())
        .ifPresent(
            tls -> {
              annotations.put(tls.config().issuerAnnotation(), tls.issuer());
              annotations.put(SECRET_TEMPLATE, secretTemplate(app));
            });
    var rule =
        new IngressRuleBuilder()
            .withHost(spec.host)
            .withNewHttp()
            .addNewPath()
            .withPath(spec.path != null ? spec.path : "/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(DjangoAppResources.service(app))
            .withNewPort()
            .withNumber(DjangoAppResources.PORT)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .build();
    var builder =
        new IngressBuilder()
            .withNewMetadata()
            .withName(DjangoAppResources.ingress(app))
            .withNamespace(app.getMetadata().getNamespace())
            .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(
                spec.className != null
                    ? spec.className
                    : inputs.settings().defaultIngressClass().orElse(null))
            .withRules(rule)
            .endSpec();
    if (inputs.tls().isPresent()) {
      builder
          .editSpec()
          .addNewTl()
          .withHosts(spec.host)
          .withSecretName(DjangoAppResources.tlsSecret(app))
          .endTl()
          .endSpec();
    }
    return builder.build();
  }

  /** Labels for the TLS Secret, so that the operator's label-filtered informer sees it. */
  static String secretTemplate(DjangoApp app) {
    try {
      return JSON.writeValueAsString(
          Map.of("labels", new TreeMap<>(DjangoAppResources.labels(app, DjangoAppResources.TLS))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The app's Ingress in the informer cache. */
  public static Optional<Ingress> current(DjangoApp app, Context<DjangoApp> context) {
    return cached(context, Ingress.class, NAME, DjangoAppResources.ingress(app), app);
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.ingress(app);
  }
}
