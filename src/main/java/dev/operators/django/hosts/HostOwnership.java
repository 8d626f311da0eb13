package dev.operators.django.hosts;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who owns a host, decided from the world alone (the DjangoApps and the Ingresses in the informer
 * caches), so that every replica, and a restarted operator, reaches the same answer. A pure
 * function.
 *
 * <p>Rule: a claimant that already serves the host (an Ingress of the cluster has a rule for it)
 * comes before one that only claims it, so an app that adds a host another app serves cannot take
 * it away, whatever their ages. Among equals the earliest creationTimestamp wins, then the
 * namespace and name. An Ingress that django-operator does not manage always serves; it cannot be
 * refused, only reported, but it wins only by the same rule: a foreign Ingress created after an app
 * took the host does not take it away.
 */
public final class HostOwnership {
  private HostOwnership() {}

  public enum Kind {
    DjangoApp,
    Ingress
  }

  /**
   * One claim on a host.
   *
   * @param kind a DjangoApp, or an Ingress that django-operator does not manage
   * @param serving whether an Ingress rule for the host exists now (always, for an Ingress)
   */
  public record Claimant(
      Kind kind, String namespace, String name, Instant created, boolean serving) {
    public String key() {
      return namespace + "/" + name;
    }
  }

  static final Comparator<Claimant> PRECEDENCE =
      Comparator.comparing((Claimant c) -> !c.serving())
          .thenComparing(Claimant::created, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(Claimant::namespace)
          .thenComparing(Claimant::name)
          .thenComparing(Claimant::kind);

  /** The owner of the host, when it is not {@code self}. */
  public static Optional<Claimant> ownerOtherThan(Claimant self, List<Claimant> others) {
    var owner = others.stream().filter(o -> !o.equals(self)).min(PRECEDENCE);
    return owner.filter(o -> PRECEDENCE.compare(o, self) < 0);
  }
}
