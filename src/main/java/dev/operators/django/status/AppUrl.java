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
   */
  public record Facts(boolean ingressExists, boolean hostRefused, boolean certificateServes) {
    public static final Facts NONE = new Facts(false, false, false);

    boolean ingressServes() {
      return ingressExists && !hostRefused;
    }
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
