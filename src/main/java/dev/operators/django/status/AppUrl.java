package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.tls.IssuerDecision;
import java.util.Optional;

/**
 * The app's URL for status.url and the Ready message: a pure function. The public URL only while
 * the app's Ingress serves the host, and https only while a certificate can serve it: an issued TLS
 * Secret that covers the host, with cert-manager installed. Otherwise the in-cluster URL, or http.
 */
public final class AppUrl {
  private AppUrl() {}

  /**
   * What the URL depends on.
   *
   * @param ingressExists the app's Ingress is in the cache
   * @param hostRefused the host belongs to another app or Ingress (the app's Ingress is going)
   * @param certificateServes the TLS Secret holds a certificate issued for the host (staging or
   *     production: both serve https)
   * @param sharedWith the Ingress the app takes its host over from (spec.ingress.replaces), while
   *     it still serves the host too
   */
  public record Facts(
      boolean ingressExists,
      boolean hostRefused,
      boolean certificateServes,
      Optional<String> sharedWith) {
    public static final Facts NONE = new Facts(false, false, false);

    public Facts(boolean ingressExists, boolean hostRefused, boolean certificateServes) {
      this(ingressExists, hostRefused, certificateServes, Optional.empty());
    }

    boolean ingressServes() {
      return ingressExists && !hostRefused;
    }
  }

  /**
   * The Ready message's last words while the app shares its host with the Ingress it takes it over
   * from: what completes the move.
   */
  static String handover(DjangoApp app, Facts facts) {
    return facts
        .sharedWith()
        .filter(ingress -> facts.ingressServes())
        .map(
            ingress ->
                " Ingress "
                    + ingress
                    + " (spec.ingress.replaces) serves "
                    + app.getSpec().ingress.host
                    + " too: delete it to complete the move (kubectl delete ingress "
                    + ingress
                    + " -n "
                    + app.getMetadata().getNamespace()
                    + ").")
        .orElse("");
  }

  static String of(DjangoApp app, Facts facts, Optional<IssuerDecision.Decision> tls) {
    var ingress = app.getSpec().ingress;
    if (ingress != null && ingress.host != null && facts.ingressServes()) {
      var path = ingress.path != null ? ingress.path : "/";
      var https =
          ingress.tls != null
              && facts.certificateServes()
              && tls.filter(t -> t.phase() != IssuerDecision.Phase.Unavailable).isPresent();
      return (https ? "https://" : "http://") + ingress.host + path;
    }
    return "http://" + DjangoAppResources.serviceHost(app) + ":" + DjangoAppResources.PORT + "/";
  }
}
