package dev.operators.django.testing.certmanager;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ledger orders by resourceVersion, not by which watch delivered first, and it fails when a
 * production order came before staging issued its names or when a watch stopped recording.
 */
class IssuanceLedgerTest {
  static final String STAGING = "letsencrypt-staging";
  static final String PROD = "letsencrypt-prod";
  static final List<String> NAMES = List.of("polls.example.com");

  @Test
  void anOrderDeliveredBeforeTheStagingSecretButWrittenAfterItIsNotEarly() {
    var ledger = new IssuanceLedger(PROD);
    ledger.order(order("polls-2", PROD, 20, NAMES));
    ledger.secret(secret(STAGING, 10, NAMES));
    ledger.secret(secret(PROD, 30, NAMES));

    assertThatCode(ledger::assertNoProductionOrderBeforeStaging).doesNotThrowAnyException();
  }

  @Test
  void aProductionOrderWrittenBeforeStagingIssuedFailsThoughItArrivedLater() {
    var ledger = new IssuanceLedger(PROD);
    ledger.secret(secret(STAGING, 20, NAMES));
    ledger.order(order("polls-1", PROD, 10, NAMES));

    assertThatThrownBy(ledger::assertNoProductionOrderBeforeStaging)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("production orders placed before staging had issued their names")
        .hasMessageContaining("revision=10");
  }

  @Test
  void stagingForOtherNamesDoesNotCount() {
    var ledger = new IssuanceLedger(PROD);
    ledger.secret(secret(STAGING, 10, List.of("other.example.com")));
    ledger.order(order("polls-1", PROD, 20, NAMES));

    assertThatThrownBy(ledger::assertNoProductionOrderBeforeStaging)
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aWatchThatClosedWithAnErrorFailsTheCheck() {
    var ledger = new IssuanceLedger(PROD);
    ledger.secret(secret(STAGING, 10, NAMES));
    ledger.order(order("polls-1", PROD, 20, NAMES));
    Watcher<GenericKubernetesResource> orders = ledger.on("Orders", ledger::order);
    orders.onClose(new WatcherException("too old resource version"));

    assertThatThrownBy(ledger::assertNoProductionOrderBeforeStaging)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the watch of Orders closed: too old resource version");
  }

  @Test
  void aWatchClosedByTheTestIsNoError() {
    var ledger = new IssuanceLedger(PROD);
    Watcher<Secret> secrets = ledger.on("Secrets", ledger::secret);
    secrets.onClose(null);

    assertThatCode(ledger::assertNoProductionOrderBeforeStaging).doesNotThrowAnyException();
  }

  static Secret secret(String issuer, long revision, List<String> names) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("polls-tls")
        .withResourceVersion(Long.toString(revision))
        .addToAnnotations("cert-manager.io/issuer-name", issuer)
        .addToAnnotations("cert-manager.io/alt-names", String.join(",", names))
        .endMetadata()
        .build();
  }

  static GenericKubernetesResource order(
      String name, String issuer, long revision, List<String> names) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("acme.cert-manager.io/v1")
        .withKind("Order")
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(Long.toString(revision))
        .endMetadata()
        .withAdditionalProperties(
            Map.of("spec", Map.of("issuerRef", Map.of("name", issuer), "dnsNames", names)))
        .build();
  }
}
