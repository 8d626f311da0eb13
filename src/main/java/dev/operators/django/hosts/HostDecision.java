package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.hosts.HostOwnership.Claimant;
import dev.operators.django.hosts.HostOwnership.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
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

  /**
   * Who claims and who serves one host, as the caches hold them.
   *
   * @param claimants the DjangoApps that claim it (the app itself among them, or not)
   * @param servers the Ingresses with a rule for it, the operator's and foreign ones
   */
  public record Facts(List<DjangoApp> claimants, List<Ingress> servers) {}

  public HostDecision {
    refused = new LinkedHashMap<>(refused);
  }

  public HostDecision(Map<String, Claimant> refused, boolean ingressHostRefused) {
    this(refused, ingressHostRefused, Optional.empty());
  }

  /** Which of the app's hosts belong to someone else, and to whom: a pure function. */
  public static HostDecision decide(DjangoApp app, Function<String, Facts> byHost) {
    var claims = HostClaims.of(app);
    if (claims.isEmpty()) {
      return NONE;
    }
    var refused = new LinkedHashMap<String, Claimant>();
    for (var host : claims) {
      var facts = byHost.apply(host);
      var self = claimant(app, facts.servers());
      var others = new ArrayList<Claimant>();
      facts.claimants().stream()
          .filter(other -> !sameObject(other, app))
          .forEach(other -> others.add(claimant(other, facts.servers())));
      // An Ingress of a DjangoApp that no longer exists is garbage the collector is about to
      // delete (a cascade deletion keeps the owner reference until then): it claims nothing,
      // so the next claimant does not wait for the collector.
      facts.servers().stream()
          .filter(ingress -> IngressHosts.ownerApp(ingress).isEmpty())
          .filter(ingress -> !replaced(app, ingress))
          .forEach(
              ingress ->
                  others.add(
                      new Claimant(
                          Kind.Ingress,
                          ingress.getMetadata().getNamespace(),
                          ingress.getMetadata().getName(),
                          created(ingress),
                          true)));
      HostOwnership.ownerOtherThan(self, others).ifPresent(owner -> refused.put(host, owner));
    }
    var ingressHost =
        app.getSpec().ingress == null || app.getSpec().ingress.host == null
            ? null
            : HostClaims.normalize(app.getSpec().ingress.host);
    var sharedWith =
        ingressHost == null
            ? Optional.<String>empty()
            : byHost.apply(ingressHost).servers().stream()
                .filter(server -> replaced(app, server))
                .map(server -> server.getMetadata().getName())
                .findFirst();
    return refused.isEmpty() && sharedWith.isEmpty()
        ? NONE
        : new HostDecision(
            refused, ingressHost != null && refused.containsKey(ingressHost), sharedWith);
  }

  /**
   * Whether this Ingress is the one the app takes its host over from: named by
   * spec.ingress.replaces, in the app's namespace, and not django-operator's (an app never takes a
   * host over from another app). Until the user deletes it, both serve the host.
   */
  static boolean replaced(DjangoApp app, Ingress ingress) {
    var spec = app.getSpec().ingress;
    return spec != null
        && spec.replaces != null
        && spec.replaces.equals(ingress.getMetadata().getName())
        && Objects.equals(app.getMetadata().getNamespace(), ingress.getMetadata().getNamespace())
        && IngressHosts.ownerApp(ingress).isEmpty();
  }

  private static Claimant claimant(DjangoApp app, List<Ingress> servers) {
    var uid = app.getMetadata().getUid();
    boolean serving =
        servers.stream()
            .anyMatch(
                ingress ->
                    IngressHosts.ownerUid(ingress).filter(owner -> owner.equals(uid)).isPresent());
    return new Claimant(
        Kind.DjangoApp,
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        created(app),
        serving);
  }

  private static boolean sameObject(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  private static Instant created(HasMetadata resource) {
    var timestamp = resource.getMetadata().getCreationTimestamp();
    return timestamp == null ? null : Instant.parse(timestamp);
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
