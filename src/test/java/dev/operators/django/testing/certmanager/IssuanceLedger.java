package dev.operators.django.testing.certmanager;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, for one namespace, when cert-manager issued a certificate from which issuer (the TLS
 * Secret's {@code cert-manager.io/issuer-name} changing) and when it placed each ACME Order on
 * which issuer, and checks the operator's central promise on them: no production order for names
 * that staging has not issued yet. Totals over every test of the JVM are kept for the report, and
 * cross-checked against the orders the production pebble itself counted.
 *
 * <p>"Before" is decided by the objects' own resourceVersions, not by when the two watches happened
 * to deliver them: the resourceVersion of the Order's creation and of the Secret version that first
 * carried the staging issuer. Both are revisions of the one etcd behind the API server, so they
 * order writes of different kinds (as the chaos run's History does). A watch that closes with an
 * error stops recording, so it fails the check ({@link #assertNoProductionOrderBeforeStaging}).
 */
public final class IssuanceLedger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IssuanceLedger.class);
  private static final AtomicLong PRODUCTION_ORDERS = new AtomicLong();
  private static final AtomicLong EARLY_PRODUCTION_ORDERS = new AtomicLong();

  /**
   * A certificate issued into a Secret, or an Order placed: by whom, for which names, when (the
   * resourceVersion of that write, and the time the watch delivered it, for figures only).
   */
  public record Entry(Instant at, long revision, String issuer, List<String> names) {}

  private final List<Entry> issued = new CopyOnWriteArrayList<>();
  private final List<Entry> orders = new CopyOnWriteArrayList<>();
  private final Set<String> seenOrders = ConcurrentHashMap.newKeySet();
  private final List<Watch> watches = new ArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final String production;

  IssuanceLedger(String production) {
    this.production = production;
  }

  public static IssuanceLedger watch(KubernetesClient client, String productionIssuer) {
    var ledger = new IssuanceLedger(productionIssuer);
    ledger.watches.add(client.secrets().watch(ledger.on("Secrets", ledger::secret)));
    ledger.watches.add(
        client
            .genericKubernetesResources("acme.cert-manager.io/v1", "Order")
            .watch(ledger.on("Orders", ledger::order)));
    return ledger;
  }

  <T> Watcher<T> on(String what, Consumer<T> handler) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          handler.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        if (cause != null) {
          closed.add("the watch of " + what + " closed: " + cause.getMessage());
        }
      }
    };
  }

  /**
   * Fails when a production order was placed before staging had issued its names, or when a watch
   * closed with an error (it stopped recording). A test that expects production orders also asserts
   * their number: with none, this check holds trivially.
   */
  public void assertNoProductionOrderBeforeStaging() {
    if (!closed.isEmpty()) {
      throw new AssertionError("the issuance ledger stopped recording: " + closed);
    }
    var early = early();
    if (!early.isEmpty()) {
      throw new AssertionError(
          "production orders placed before staging had issued their names: "
              + early
              + "; issued "
              + issued);
    }
  }

  void secret(Secret secret) {
    var annotations = secret.getMetadata().getAnnotations();
    var issuer = annotations == null ? null : annotations.get("cert-manager.io/issuer-name");
    if (issuer == null) {
      return;
    }
    var names = List.of(annotations.getOrDefault("cert-manager.io/alt-names", "").split(","));
    var last = issued.isEmpty() ? null : issued.get(issued.size() - 1);
    if (last == null || !last.issuer().equals(issuer) || !last.names().equals(names)) {
      issued.add(new Entry(Instant.now(), revision(secret), issuer, names));
    }
  }

  @SuppressWarnings("unchecked")
  void order(GenericKubernetesResource order) {
    var spec = (Map<String, Object>) order.getAdditionalProperties().getOrDefault("spec", Map.of());
    var issuerRef = (Map<String, Object>) spec.getOrDefault("issuerRef", Map.of());
    if (!seenOrders.add(order.getMetadata().getName())) {
      return;
    }
    var entry =
        new Entry(
            Instant.now(),
            revision(order),
            (String) issuerRef.get("name"),
            (List<String>) spec.getOrDefault("dnsNames", List.of()));
    orders.add(entry);
    if (production.equals(entry.issuer())) {
      PRODUCTION_ORDERS.incrementAndGet();
    }
  }

  private boolean stagingIssuedBefore(Entry order) {
    return issued.stream()
        .anyMatch(
            i ->
                !production.equals(i.issuer())
                    && i.revision() < order.revision()
                    && i.names().containsAll(order.names()));
  }

  private static long revision(HasMetadata object) {
    return Long.parseLong(object.getMetadata().getResourceVersion());
  }

  public List<Entry> issued() {
    return List.copyOf(issued);
  }

  /** Orders placed on the given issuer in this namespace. */
  public long orders(String issuer) {
    return orders.stream().filter(o -> issuer.equals(o.issuer())).count();
  }

  /** Production orders whose names staging had not issued when the order was placed. */
  public long earlyProductionOrders() {
    return early().size();
  }

  private List<Entry> early() {
    return orders.stream()
        .filter(o -> production.equals(o.issuer()))
        .filter(o -> !stagingIssuedBefore(o))
        .toList();
  }

  /** The first time a certificate from this issuer reached the Secret. */
  public Optional<Instant> firstIssued(String issuer) {
    return issued.stream().filter(i -> issuer.equals(i.issuer())).map(Entry::at).findFirst();
  }

  @Override
  public void close() {
    if (watches.isEmpty()) {
      return;
    }
    watches.forEach(Watch::close);
    watches.clear();
    EARLY_PRODUCTION_ORDERS.addAndGet(earlyProductionOrders());
    log.info(
        "ACME ledger so far in this JVM: {} production orders, {} placed before staging had"
            + " issued their names",
        PRODUCTION_ORDERS.get(),
        EARLY_PRODUCTION_ORDERS.get());
  }
}
