package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The observed state of the Ingress certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsStatus {

  @JsonPropertyDescription("Staging or Production: the issuer the Ingress asks for.")
  public String stage;

  @JsonPropertyDescription(
      "Issuing, Ready, Failed, or Unavailable when cert-manager is not" + " installed.")
  public String phase;

  @JsonPropertyDescription("Name of the issuer in use.")
  public String issuer;

  @JsonPropertyDescription("Name of the cert-manager Certificate (and of its TLS Secret).")
  public String certificateName;

  @JsonPropertyDescription("When the current certificate expires (RFC 3339).")
  public String notAfter;
}
