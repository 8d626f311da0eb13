package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hosts a DjangoApp claims for itself: its ingress host and the exact names among its extra
 * allowed hosts. Django's patterns ({@code .example.com}, {@code *}) claim no single host: they
 * only widen what Django accepts, and route nothing, so they conflict with no one.
 */
public final class HostClaims {
  private HostClaims() {}

  public static Set<String> of(DjangoApp app) {
    var hosts = new LinkedHashSet<String>();
    var spec = app.getSpec();
    if (spec == null) {
      return hosts;
    }
    if (spec.ingress != null && spec.ingress.host != null) {
      hosts.add(normalize(spec.ingress.host));
    }
    if (spec.settings != null && spec.settings.allowedHosts != null) {
      spec.settings.allowedHosts.stream()
          .filter(HostClaims::exactName)
          .map(HostClaims::normalize)
          .forEach(hosts::add);
    }
    return hosts;
  }

  /** The hosts of an Ingress's rules (a rule without a host claims none: admission refuses it). */
  public static List<String> normalizedAll(List<String> hosts) {
    return hosts.stream()
        .filter(h -> h != null && !h.isEmpty())
        .map(HostClaims::normalize)
        .distinct()
        .toList();
  }

  static boolean exactName(String host) {
    return host != null && !host.isEmpty() && !host.startsWith(".") && !host.contains("*");
  }

  /** Host names compare case-insensitively; a trailing dot names the same host. */
  static String normalize(String host) {
    var lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
