package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.DjangoAppSpec;
import dev.operators.django.api.IngressSpec;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.hosts.HostOwnership.Claimant;
import dev.operators.django.hosts.HostOwnership.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who claims and who serves each host, in the operator's namespaces: the DjangoApps (reduced to
 * their claimed hosts) and every Ingress, the operator's or not (reduced to its rules' hosts and
 * its owner), both indexed by host. Also an event source: when the hosts of an app or an Ingress
 * change, or one is deleted, the other apps that claim those hosts are reconciled, so the next
 * claimant gets a released host at once rather than at the next resync.
 *
 * <p>"Any namespace" means any namespace this operator watches (all, unless WATCH_NAMESPACES limits
 * it): an operator limited to some namespaces may not be allowed to read the others.
 */
public final class HostWatch extends AbstractEventSource<Void, DjangoApp> {
  private static final Logger log = LoggerFactory.getLogger(HostWatch.class);
  public static final String NAME = "hosts";
  static final String HOST_INDEX = "host";

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final List<SharedIndexInformer<DjangoApp>> apps = new ArrayList<>();
  private final List<SharedIndexInformer<Ingress>> ingresses = new ArrayList<>();

  /**
   * @param namespaces the watched namespaces; empty: all
   */
  public HostWatch(KubernetesClient client, Set<String> namespaces) {
    super(Void.class, NAME);
    this.client = client;
    this.namespaces = namespaces;
  }

  @Override
  public void start() throws OperatorException {
    var scopes = namespaces.isEmpty() ? List.<String>of("") : List.copyOf(namespaces);
    for (var namespace : scopes) {
      var appOp = client.resources(DjangoApp.class);
      var ingressOp = client.network().v1().ingresses();
      apps.add(
          inform(
              namespace.isEmpty()
                  ? appOp.inAnyNamespace().runnableInformer(0)
                  : appOp.inNamespace(namespace).runnableInformer(0),
              new ReducedStore<>(HostWatch::reduce),
              app -> List.copyOf(HostClaims.of(app)),
              new Wake<>(
                  app -> HostClaims.of(app), app -> Optional.of(ResourceID.fromResource(app)))));
      ingresses.add(
          inform(
              namespace.isEmpty()
                  ? ingressOp.inAnyNamespace().runnableInformer(0)
                  : ingressOp.inNamespace(namespace).runnableInformer(0),
              new ReducedStore<>(HostWatch::reduce),
              HostWatch::hosts,
              new Wake<>(ingress -> Set.copyOf(hosts(ingress)), HostWatch::ownerApp)));
    }
    try {
      for (var informer : Stream.concat(apps.stream(), ingresses.stream()).toList()) {
        informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperatorException("could not list DjangoApps and Ingresses for host ownership", e);
    }
    super.start();
  }

  private <R extends HasMetadata> SharedIndexInformer<R> inform(
      SharedIndexInformer<R> informer,
      ReducedStore<R> store,
      Function<R, List<String>> hosts,
      ResourceEventHandler<R> handler) {
    return informer
        .itemStore(store)
        .removeNamespaceIndex()
        .addIndexers(Map.of(HOST_INDEX, hosts))
        .addEventHandler(handler);
  }

  @Override
  public void stop() throws OperatorException {
    Stream.concat(apps.stream(), ingresses.stream()).forEach(SharedIndexInformer::stop);
    super.stop();
  }

  /** Nothing for the workflow: the reconciler asks {@link #decide}. */
  @Override
  public Set<Void> getSecondaryResources(DjangoApp app) {
    return Set.of();
  }

  /** Which of the app's hosts belong to someone else, and to whom. */
  public HostDecision decide(DjangoApp app) {
    var claims = HostClaims.of(app);
    if (claims.isEmpty()) {
      return HostDecision.NONE;
    }
    var refused = new LinkedHashMap<String, Claimant>();
    for (var host : claims) {
      var servers = byHost(ingresses, host);
      var self = claimant(app, servers, host);
      var others = new ArrayList<Claimant>();
      byHost(apps, host).stream()
          .filter(other -> !sameObject(other, app))
          .forEach(other -> others.add(claimant(other, servers, host)));
      // An Ingress of a DjangoApp that no longer exists is garbage the collector is about to
      // delete (a cascade deletion keeps the owner reference until then): it claims nothing,
      // so the next claimant does not wait for the collector.
      servers.stream()
          .filter(ingress -> ownerApp(ingress).isEmpty())
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
    return new HostDecision(
        refused, ingressHost != null && refused.containsKey(ingressHost), sharedWith(app));
  }

  /**
   * The Ingress the app takes its host over from (spec.ingress.replaces), while it still serves the
   * app's host: both serve it until the user deletes that one.
   */
  Optional<String> sharedWith(DjangoApp app) {
    var ingress = app.getSpec().ingress;
    if (ingress == null || ingress.host == null || ingress.replaces == null) {
      return Optional.empty();
    }
    return byHost(ingresses, HostClaims.normalize(ingress.host)).stream()
        .filter(server -> replaced(app, server))
        .map(server -> server.getMetadata().getName())
        .findFirst();
  }

  /**
   * Whether this Ingress is the one the app takes its host over from: named by
   * spec.ingress.replaces, in the app's namespace, and not django-operator's (an app never takes a
   * host over from another app).
   */
  static boolean replaced(DjangoApp app, Ingress ingress) {
    var spec = app.getSpec().ingress;
    return spec != null
        && spec.replaces != null
        && spec.replaces.equals(ingress.getMetadata().getName())
        && Objects.equals(app.getMetadata().getNamespace(), ingress.getMetadata().getNamespace())
        && ownerApp(ingress).isEmpty();
  }

  private static Claimant claimant(DjangoApp app, List<Ingress> servers, String host) {
    var uid = app.getMetadata().getUid();
    boolean serving =
        servers.stream()
            .anyMatch(ingress -> ownerUid(ingress).filter(owner -> owner.equals(uid)).isPresent());
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

  private static <R extends HasMetadata> List<R> byHost(
      List<SharedIndexInformer<R>> informers, String host) {
    return informers.stream()
        .flatMap(i -> i.getIndexer().byIndex(HOST_INDEX, host).stream())
        .toList();
  }

  static List<String> hosts(Ingress ingress) {
    if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
      return List.of();
    }
    return HostClaims.normalizedAll(
        ingress.getSpec().getRules().stream().map(IngressRule::getHost).toList());
  }

  /** The DjangoApp that controls this Ingress, when django-operator made it. */
  static Optional<ResourceID> ownerApp(Ingress ingress) {
    return controller(ingress)
        .map(owner -> new ResourceID(owner.getName(), ingress.getMetadata().getNamespace()));
  }

  private static Optional<String> ownerUid(Ingress ingress) {
    return controller(ingress).map(OwnerReference::getUid);
  }

  private static Optional<OwnerReference> controller(Ingress ingress) {
    var labels = ingress.getMetadata().getLabels();
    if (labels == null
        || !DjangoAppResources.MANAGED_BY.equals(labels.get(DjangoAppResources.LABEL_MANAGED_BY))) {
      return Optional.empty();
    }
    var refs = ingress.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream()
            .filter(r -> Boolean.TRUE.equals(r.getController()))
            .filter(
                r ->
                    "DjangoApp".equals(r.getKind())
                        && r.getApiVersion() != null
                        && r.getApiVersion().startsWith(DjangoApp.GROUP + "/"))
            .findFirst();
  }

  /**
   * Reconciles the apps that claim a host whose claims or servers changed: the hosts before and
   * after, so a released host reaches the next claimant. The object's own app is left out (its own
   * informers already reconcile it), and so are changes that touch no host (status writes).
   */
  private final class Wake<R extends HasMetadata> implements ResourceEventHandler<R> {
    private final Function<R, Set<String>> hostsOf;
    private final Function<R, Optional<ResourceID>> appOf;

    Wake(Function<R, Set<String>> hostsOf, Function<R, Optional<ResourceID>> appOf) {
      this.hostsOf = hostsOf;
      this.appOf = appOf;
    }

    @Override
    public void onAdd(R resource) {
      wake(hostsOf.apply(resource), appOf.apply(resource));
    }

    @Override
    public void onUpdate(R old, R resource) {
      var before = hostsOf.apply(old);
      var after = hostsOf.apply(resource);
      var ownerBefore = appOf.apply(old);
      var ownerAfter = appOf.apply(resource);
      if (before.equals(after) && ownerBefore.equals(ownerAfter)) {
        return;
      }
      var all = new HashSet<>(before);
      all.addAll(after);
      wake(all, ownerAfter);
    }

    @Override
    public void onDelete(R resource, boolean deletedFinalStateUnknown) {
      wake(hostsOf.apply(resource), appOf.apply(resource));
    }

    private void wake(Set<String> hosts, Optional<ResourceID> except) {
      if (hosts.isEmpty() || !isRunning()) {
        return;
      }
      var claimants = new HashSet<ResourceID>();
      hosts.forEach(
          host -> byHost(apps, host).forEach(app -> claimants.add(ResourceID.fromResource(app))));
      except.ifPresent(claimants::remove);
      if (!claimants.isEmpty()) {
        log.debug("hosts {} changed: reconciling {}", hosts, claimants);
      }
      claimants.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }

  /** A DjangoApp as host ownership reads it: identity, age and claimed hosts. */
  static DjangoApp reduce(DjangoApp app) {
    var reduced = new DjangoApp();
    reduced.setMetadata(identity(app));
    reduced.setStatus(null);
    var spec = new DjangoAppSpec();
    spec.envFrom = null;
    var claims = List.copyOf(HostClaims.of(app));
    if (app.getSpec() != null && app.getSpec().ingress != null) {
      spec.ingress = new IngressSpec();
      spec.ingress.host = app.getSpec().ingress.host;
      spec.ingress.annotations = null;
    }
    spec.settings = new SettingsSpec();
    spec.settings.allowedHosts = claims;
    spec.settings.env = null;
    reduced.setSpec(spec);
    return reduced;
  }

  /** An Ingress as host ownership reads it: identity, age, owner and its rules' hosts. */
  static Ingress reduce(Ingress ingress) {
    var metadata = identity(ingress);
    var managedBy =
        ingress.getMetadata().getLabels() == null
            ? null
            : ingress.getMetadata().getLabels().get(DjangoAppResources.LABEL_MANAGED_BY);
    metadata.setLabels(
        managedBy == null ? null : Map.of(DjangoAppResources.LABEL_MANAGED_BY, managedBy));
    metadata.setOwnerReferences(
        ingress.getMetadata().getOwnerReferences() == null
            ? null
            : ingress.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(
                    r ->
                        new OwnerReference(
                            r.getApiVersion(), null, true, r.getKind(), r.getName(), r.getUid()))
                .toList());
    var reduced = new Ingress();
    reduced.setMetadata(metadata);
    reduced.setSpec(
        new IngressSpecBuilder()
            .withTls((List<IngressTLS>) null)
            .withRules(
                hosts(ingress).stream()
                    .map(
                        host -> {
                          var rule = new IngressRule();
                          rule.setHost(host);
                          return rule;
                        })
                    .toList())
            .build());
    return reduced;
  }

  private static ObjectMeta identity(HasMetadata resource) {
    var source = resource.getMetadata();
    var metadata = new ObjectMeta();
    metadata.setName(source.getName());
    metadata.setNamespace(source.getNamespace());
    metadata.setUid(source.getUid());
    metadata.setResourceVersion(source.getResourceVersion());
    metadata.setCreationTimestamp(source.getCreationTimestamp());
    metadata.setAnnotations(null);
    metadata.setLabels(null);
    metadata.setFinalizers(null);
    metadata.setManagedFields(null);
    metadata.setOwnerReferences(null);
    return metadata;
  }
}
