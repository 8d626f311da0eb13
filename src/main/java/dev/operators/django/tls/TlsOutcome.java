package dev.operators.django.tls;

import java.util.Optional;

/**
 * The certificate concern's answer for one reconcile, read once: the app's TLS settings, the issuer
 * decision, and when the current certificate expires.
 *
 * @param notAfter the Certificate's expiry, when cert-manager reports one
 * @param certificateServes the TLS Secret holds a certificate issued for the app's host (staging or
 *     production: both serve https)
 */
public record TlsOutcome(
    TlsConfig config,
    IssuerDecision.Decision decision,
    Optional<String> notAfter,
    boolean certificateServes) {

  /** The issuer the Ingress asks cert-manager for. */
  public String issuer() {
    return decision.issuer();
  }
}
