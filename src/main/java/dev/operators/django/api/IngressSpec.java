package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** The app's Ingress (networking.k8s.io/v1), with TLS from cert-manager. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.host)",
    message =
        "ingress.host is required: an Ingress without a host catches every request of its"
            + " ingress class, other apps' included",
    reason = "FieldValueRequired",
    fieldPath = ".host")
public class IngressSpec {

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.HOST + "') && !self.matches('" + Grammar.IPV4 + "')",
      message =
          "ingress.host must be a DNS name such as polls.example.com: lower-case labels of"
              + " at most 63 letters, digits and '-', no scheme, port, path, IP address or wildcard")
  @JsonPropertyDescription(
      "The public DNS name, e.g. polls.example.com. It is always in"
          + " DJANGO_ALLOWED_HOSTS, and the certificate is issued for it.")
  public String host;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message =
          "ingress.className must name an IngressClass: lower-case letters, digits, '-' and"
              + " '.'")
  @JsonPropertyDescription(
      "ingressClassName, e.g. traefik. Default: the operator's DEFAULT_INGRESS_CLASS, else"
          + " the cluster's default IngressClass (given by the API server when the Ingress is"
          + " created). A class that does not exist is reported (IngressClassNotFound).")
  public String className;

  @Size(max = 256)
  @ValidationRule(
      value =
          "self.matches('" + Grammar.PATH + "') && !self.matches('" + Grammar.DOT_SEGMENT + "')",
      message =
          "ingress.path must be a plain URL path such as / or /polls: segments of letters,"
              + " digits and -._~!$&'()*+,;=:@, no '.' or '..' segment, no percent-encoding")
  @JsonPropertyDescription("URL path prefix routed to the app. Default /.")
  public String path;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(k, k.matches('" + Grammar.QUALIFIED_NAME + "'))",
      messageExpression =
          "'ingress.annotations key ' + self.filter(k, !k.matches('"
              + Grammar.QUALIFIED_NAME
              + "'))[0] + ' is not an annotation key: an optional DNS"
              + " prefix and a name of at most 63 letters, digits, -._ (e.g."
              + " nginx.ingress.kubernetes.io/proxy-body-size)'")
  @ValidationRule(
      value = "self.all(k, !(k in " + ISSUER_ANNOTATIONS + "))",
      messageExpression =
          "'ingress.annotations must not set ' + self.filter(k, k in "
              + ISSUER_ANNOTATIONS
              + ")[0] + ': the operator names the cert-manager issuer from"
              + " spec.ingress.tls (stagingIssuer, productionIssuer, issuerKind), and an Ingress with"
              + " two issuer annotations is refused by cert-manager'",
      reason = "FieldValueForbidden")
  @JsonPropertyDescription(
      "Extra annotations for the Ingress, e.g. for the ingress controller."
          + " cert-manager's issuer annotations are not allowed here: the operator sets them from"
          + " tls.")
  public Map<String, @Size(max = 4096) String> annotations = new LinkedHashMap<>();

  /**
   * The annotations by which cert-manager's ingress-shim picks an issuer. With the operator's own
   * one next to them, ingress-shim refuses the Ingress and no certificate is ever issued.
   */
  static final String ISSUER_ANNOTATIONS =
      "['cert-manager.io/issuer',"
          + " 'cert-manager.io/cluster-issuer', 'cert-manager.io/issuer-kind',"
          + " 'cert-manager.io/issuer-group']";

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "ingress.replaces must name an Ingress: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription(
      "An Ingress in the app's namespace, not managed by django-operator, that serves the host"
          + " today and that this app takes the host over from, e.g. the tutorial's polls-ingress."
          + " The app's Ingress is then created beside it rather than refused"
          + " (HostServedElsewhere), so that both serve the host until you delete that Ingress;"
          + " the operator never changes or deletes it.")
  public String replaces;

  @JsonPropertyDescription(
      "TLS with a certificate from cert-manager, issued first by the staging"
          + " issuer and moved to the production issuer once it is Ready. Requires host.")
  public TlsSpec tls;
}
