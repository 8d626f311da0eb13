package dev.operators.django.hosts;

import dev.operators.django.hosts.HostOwnership.Claimant;
import dev.operators.django.hosts.HostOwnership.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hosts an app may not have, each with its owner. Empty: every host it claims is its own.
 *
 * @param refused host to owner, in the order the app claims them
 * @param ingressHostRefused whether spec.ingress.host is one of them: then the app gets no Ingress
 *     (an Ingress of this app that serves it is deleted), while the Deployment and the Service go
 *     on
 * @param sharedWith the Ingress the app takes spec.ingress.host over from (spec.ingress.replaces),
 *     while it still serves the host beside the app's
 */
public record HostDecision(
    Map<String, Claimant> refused, boolean ingressHostRefused, Optional<String> sharedWith) {
  public static final HostDecision NONE = new HostDecision(Map.of(), false);

  public HostDecision {
    refused = new LinkedHashMap<>(refused);
  }

  public HostDecision(Map<String, Claimant> refused, boolean ingressHostRefused) {
    this(refused, ingressHostRefused, Optional.empty());
  }

  public boolean any() {
    return !refused.isEmpty();
  }

  /** HostConflict when another DjangoApp owns a host, HostServedElsewhere for a foreign Ingress. */
  public String reason() {
    return refused.values().stream().allMatch(o -> o.kind() == Kind.Ingress)
        ? "HostServedElsewhere"
        : "HostConflict";
  }

  public String message() {
    return refused.entrySet().stream()
            .map(e -> message(e.getKey(), e.getValue()))
            .collect(Collectors.joining("; "))
        + (ingressHostRefused
            ? ". The app has no Ingress until the host is its own; it runs, reachable in the"
                + " cluster through its Service"
            : ". The app's Ingress and pods are left as they are");
  }

  private static String message(String host, Claimant owner) {
    var created = owner.created() == null ? "" : " (created " + owner.created() + ")";
    if (owner.kind() == Kind.Ingress) {
      return "host "
          + host
          + " is already served by Ingress "
          + owner.key()
          + created
          + ", which django-operator does not manage; choose another host or remove the rule"
          + " there";
    }
    return "host "
        + host
        + " is already "
        + (owner.serving() ? "served" : "claimed")
        + " by DjangoApp "
        + owner.key()
        + created
        + "; choose another host or remove it there";
  }
}
