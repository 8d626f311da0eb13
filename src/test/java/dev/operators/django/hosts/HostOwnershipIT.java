package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host belongs to one app, across namespaces and operator restarts, and passes to the next
 * claimant as soon as its owner lets it go: at the default resync (5 minutes) and with no timer for
 * host conflicts, only the watch can hand it over within the bound.
 */
@WithCluster
class HostOwnershipIT {
  private static final Logger log = LoggerFactory.getLogger(HostOwnershipIT.class);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Far below the resync: only an event reconciles the next claimant this soon. */
  static final Duration HANDOVER = Duration.ofSeconds(20);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void aHostBelongsToTheFirstAppInAnyNamespaceAcrossRestarts(
      KubernetesClient client, TestNamespace first) {
    var second = secondNamespace(client, first);
    var host = first.name() + ".example.test";
    createApp(client, first.name(), "shop", host, List.of());
    await()
        .atMost(TIMEOUT)
        .until(() -> ingressHosts(client, first.name(), "shop"), hosts -> hosts.contains(host));
    createApp(client, second, "shop", host, List.of());

    var refused = awaitReason(client, second, "shop", "HostConflict");
    var ready = Conditions.find(refused.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .startsWith(
            "host " + host + " is already served by DjangoApp " + first.name() + "/shop (created ")
        .contains("choose another host or remove it there");
    assertThat(Conditions.isTrue(refused.conditions, Conditions.STALLED)).isTrue();
    assertThat(client.network().v1().ingresses().inNamespace(second).withName("shop").get())
        .as("the newcomer's Ingress")
        .isNull();
    assertThat(client.apps().deployments().inNamespace(second).withName("shop").get())
        .as("the rest of the newcomer runs")
        .isNotNull();

    // Reported once: nothing more is written for the refused app (no status, no Ingress, no
    // Event) while nothing changes. Its pods run on, so first let them become ready: that is a
    // change the status reports.
    await()
        .atMost(TIMEOUT)
        .until(
            () -> status(client, second, "shop"),
            s ->
                Conditions.isTrue(s.conditions, Conditions.AVAILABLE)
                    && s.replicas != null
                    && s.replicas > 0
                    && s.replicas.equals(s.readyReplicas));
    operator.running().requests().reset();
    var writes =
        await()
            .pollDelay(Duration.ofSeconds(12))
            .atMost(Duration.ofSeconds(15))
            .until(() -> operator.running().requests().writes(), w -> true);
    assertThat(writes)
        .as("writes for the refused app in 12 s")
        .noneMatch(w -> w.contains("/namespaces/" + second + "/"));

    // A restarted operator reaches the same answer from the world alone.
    operator.restartWatching(first.name() + "," + second);
    await().atMost(TIMEOUT).until(() -> operator.running().reconciles() >= 2);
    assertThat(status(client, second, "shop").conditions)
        .filteredOn(c -> "Ready".equals(c.getType()))
        .singleElement()
        .extracting(c -> c.getReason())
        .isEqualTo("HostConflict");
    assertThat(ingressHosts(client, first.name(), "shop")).containsExactly(host);
    assertThat(client.network().v1().ingresses().inNamespace(second).withName("shop").get())
        .isNull();

    // The owner goes: the next claimant gets the host at once.
    long released = System.nanoTime();
    client.resources(DjangoApp.class).inNamespace(first.name()).withName("shop").delete();
    await()
        .atMost(HANDOVER)
        .until(() -> ingressHosts(client, second, "shop"), hosts -> hosts.contains(host));
    log.info(
        "host handed over {} ms after its owner was deleted",
        (System.nanoTime() - released) / 1_000_000);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> status(client, second, "shop"),
            s -> !Conditions.isTrue(s.conditions, Conditions.STALLED));
  }

  @Test
  void anAllowedHostIsClaimedAndAForeignIngressIsReported(
      KubernetesClient client, TestNamespace first) {
    var second = secondNamespace(client, first);
    var host = first.name() + ".example.test";
    // An Ingress that django-operator does not manage, in another namespace, serves the host.
    client
        .network()
        .v1()
        .ingresses()
        .inNamespace(second)
        .resource(
            new IngressBuilder()
                .withNewMetadata()
                .withName("legacy")
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost(host)
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName("legacy")
                .withNewPort()
                .withNumber(80)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build())
        .create();
    createApp(client, first.name(), "shop", host, List.of());
    var refused = awaitReason(client, first.name(), "shop", "HostServedElsewhere");
    assertThat(Conditions.find(refused.conditions, Conditions.READY).orElseThrow().getMessage())
        .startsWith(
            "host " + host + " is already served by Ingress " + second + "/legacy" + " (created ")
        .contains("which django-operator does not manage");
    assertThat(client.network().v1().ingresses().inNamespace(first.name()).withName("shop").get())
        .isNull();

    // The foreign Ingress goes: shop takes the host, by the watch.
    client.network().v1().ingresses().inNamespace(second).withName("legacy").delete();
    await()
        .atMost(HANDOVER)
        .until(() -> ingressHosts(client, first.name(), "shop"), hosts -> hosts.contains(host));

    // An extra allowed host is a claim too: a second app that lists shop's host.
    createApp(client, second, "admin", "admin-" + host, List.of(host));
    var conflict = awaitReason(client, second, "admin", "HostConflict");
    assertThat(Conditions.find(conflict.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("host " + host + " is already served by DjangoApp " + first.name() + "/shop")
        .contains("The app's Ingress and pods are left as they are");
    await()
        .atMost(TIMEOUT)
        .until(
            () -> ingressHosts(client, second, "admin"),
            hosts -> hosts.equals(List.of("admin-" + host)));

    // shop gives the host up by changing its own: admin's claim holds now, by the watch.
    Edits.edit(
        client,
        "shop",
        app -> {
          app.getSpec().ingress.host = "other-" + host;
          return app;
        });
    await()
        .atMost(HANDOVER)
        .until(
            () -> status(client, second, "admin"),
            s ->
                !"HostConflict"
                    .equals(
                        Conditions.find(s.conditions, Conditions.READY).orElseThrow().getReason()));
  }

  private String second;

  @AfterEach
  void deleteSecondNamespace(KubernetesClient client) {
    if (second != null) {
      client.namespaces().withName(second).delete();
    }
  }

  private String secondNamespace(KubernetesClient client, TestNamespace first) {
    second = first.name() + "-b";
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(second)
                .addToLabels("test.django.operators.dev/namespace", "true")
                .endMetadata()
                .build())
        .create();
    operator.restartWatching(first.name() + "," + second);
    return second;
  }

  static void createApp(
      KubernetesClient client,
      String namespace,
      String name,
      String host,
      List<String> allowedHosts) {
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: %s, namespace: %s}
        spec:
          image: registry.example.com/shop:1.0
          migrations: {enabled: false}
          ingress: {host: %s}
          settings: {allowedHosts: %s}
        """
                        .formatted(
                            name,
                            namespace,
                            host,
                            allowedHosts.isEmpty()
                                ? "[]"
                                : "[" + String.join(", ", allowedHosts) + "]"),
                    DjangoApp.class))
        .create();
  }

  static DjangoAppStatus status(KubernetesClient client, String namespace, String name) {
    var app = client.resources(DjangoApp.class).inNamespace(namespace).withName(name).get();
    return app == null || app.getStatus() == null ? new DjangoAppStatus() : app.getStatus();
  }

  static DjangoAppStatus awaitReason(
      KubernetesClient client, String namespace, String name, String reason) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> status(client, namespace, name),
            s ->
                Conditions.find(s.conditions, Conditions.READY)
                    .filter(c -> reason.equals(c.getReason()))
                    .isPresent());
  }

  static List<String> ingressHosts(KubernetesClient client, String namespace, String name) {
    Ingress ingress = client.network().v1().ingresses().inNamespace(namespace).withName(name).get();
    return ingress == null
        ? List.of()
        : ingress.getSpec().getRules().stream().map(IngressRule::getHost).toList();
  }
}
