package dev.operators.django.api;

/**
 * The grammars the API server and the kubelet apply to what a DjangoApp passes on, as RE2 for CEL
 * rules: checked at admission, so that a mistake is refused with a message that names the field,
 * instead of failing later in a child.
 */
final class Grammar {
  /** An object name: a DNS subdomain (RFC 1123), as Secrets and ConfigMaps are named. */
  static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A host name: labels of at most 63 characters. */
  static final String HOST =
      "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?([.][a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";

  /** An IPv4 address, which an Ingress rule refuses as a host. */
  static final String IPV4 = "^[0-9]+([.][0-9]+){3}$";

  /**
   * An image reference: an optional registry (host, optional port), lower-case path components, an
   * optional tag, an optional sha256 digest.
   */
  static final String IMAGE =
      "^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?"
          + "([.][a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]+)?/)?"
          + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

  /** An annotation or label key: an optional DNS-subdomain prefix and a name of 63 at most. */
  static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]"
          + "([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** An environment variable name, or the start of one. */
  static final String ENV_PREFIX = "^[A-Za-z_][A-Za-z0-9_]*$";

  /**
   * A URL path of plain segments: no '.' or '..' segment, no percent-encoding, no '//'. The
   * apostrophe is escaped for the single-quoted CEL string it goes into.
   */
  static final String PATH = "^(/[A-Za-z0-9._~!$&\\'()*+,;=:@-]+)*/?$";

  static final String DOT_SEGMENT = "/[.][.]?(/|$)";

  private Grammar() {}
}
