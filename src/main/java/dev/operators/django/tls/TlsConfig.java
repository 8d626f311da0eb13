package dev.operators.django.tls;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.TlsSpec;
import dev.operators.django.config.OperatorSettings;
import java.util.Optional;

/**
 * An app's TLS settings with the operator's defaults filled in.
 *
 * @param issuerKind ClusterIssuer or Issuer
 * @param stagingIssuer the issuer tried first
 * @param productionIssuer the issuer after promotion
 * @param skipStaging start on production
 * @param manualPromotion wait for the promote annotation before leaving staging
 */
public record TlsConfig(
    String issuerKind,
    String stagingIssuer,
    String productionIssuer,
    boolean skipStaging,
    boolean manualPromotion) {

  /** Empty when the app has no TLS. */
  public static Optional<TlsConfig> of(DjangoApp app, OperatorSettings settings) {
    var ingress = app.getSpec().ingress;
    if (ingress == null || ingress.tls == null) {
      return Optional.empty();
    }
    var tls = ingress.tls;
    return Optional.of(
        new TlsConfig(
            tls.issuerKind != null ? tls.issuerKind.name() : settings.defaultIssuerKind(),
            tls.stagingIssuer != null ? tls.stagingIssuer : settings.defaultStagingIssuer(),
            tls.productionIssuer != null
                ? tls.productionIssuer
                : settings.defaultProductionIssuer(),
            Boolean.TRUE.equals(tls.skipStaging),
            tls.promotion == TlsSpec.Promotion.Manual));
  }

  /** The Ingress annotation cert-manager's ingress-shim reads for this issuer kind. */
  public String issuerAnnotation() {
    return "Issuer".equals(issuerKind)
        ? "cert-manager.io/issuer"
        : "cert-manager.io/cluster-issuer";
  }
}
