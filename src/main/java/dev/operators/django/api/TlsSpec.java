package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** cert-manager issuers for the Ingress certificate, and how to move between them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {

  @JsonPropertyDescription(
      "Kind of the issuers: ClusterIssuer (default,"
          + " cert-manager.io/cluster-issuer) or Issuer in the app's namespace (cert-manager.io/issuer).")
  public IssuerKind issuerKind;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "The issuer tried first, e.g. letsencrypt-staging. Default: the"
          + " operator's DEFAULT_STAGING_ISSUER.")
  public String stagingIssuer;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "The issuer used once staging has issued a certificate, e.g."
          + " letsencrypt-prod. Default: the operator's DEFAULT_PRODUCTION_ISSUER.")
  public String productionIssuer;

  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "tls.secretName must name a Secret: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription(
      "The Secret cert-manager keeps the certificate in, and the name of its Certificate."
          + " Default <app>-tls. Name an existing one to go on serving its certificate, e.g. the"
          + " tutorial's polls-tls: with skipStaging, cert-manager takes over a production"
          + " certificate it issued for the host without issuing again.")
  public String secretName;

  @JsonPropertyDescription(
      "Go straight to the production issuer. Only for hosts whose DNS and"
          + " Ingress are known to work: production has strict rate limits. Default false.")
  public Boolean skipStaging;

  @JsonPropertyDescription(
      "Automatic (default): move to the production issuer as soon as the"
          + " staging certificate is Ready. Manual: stay on staging so that you can look first;"
          + " change this to Automatic to promote.")
  public Promotion promotion;

  /** cert-manager issuer kinds. */
  public enum IssuerKind {
    ClusterIssuer,
    Issuer
  }

  /** When staging is promoted to production. */
  public enum Promotion {
    Automatic,
    Manual
  }
}
