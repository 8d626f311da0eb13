package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ingress class, against the real API server: an app that names none gets the cluster's default
 * IngressClass from the API server's DefaultIngressClass admission, and keeps it through the
 * operator's later applies; an app that names a class that does not exist says so (condition and
 * Event), and stops saying so as soon as the class is created (watched, at the default resync).
 */
@WithCluster
class IngressClassIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void namingNoneTheIngressGetsTheClustersDefaultAndKeepsIt(
      KubernetesClient client, TestNamespace namespace) {
    create(client, "shop", namespace.name() + ".example.test", null);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.network().v1().ingresses().withName("shop").get(),
            i ->
                i != null
                    && LocalControlPlane.INGRESS_CLASS.equals(i.getSpec().getIngressClassName()));

    Edits.edit(
        client,
        "shop",
        app -> {
          app.getSpec().ingress.annotations.put("example.com/colour", "blue");
          return app;
        });
    var updated =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> client.network().v1().ingresses().withName("shop").get(),
                i -> "blue".equals(i.getMetadata().getAnnotations().get("example.com/colour")));
    assertThat(updated.getSpec().getIngressClassName())
        .as("the class admission gave it survives the operator's apply")
        .isEqualTo(LocalControlPlane.INGRESS_CLASS);
    assertThat(Conditions.find(status(client, "shop").conditions, Conditions.READY).orElseThrow())
        .satisfies(c -> assertThat(c.getReason()).isNotIn("IngressClassNotFound"));
  }

  @Test
  void aClassThatDoesNotExistIsReportedUntilItIsCreated(
      KubernetesClient client, TestNamespace namespace) {
    var missing = "missing-" + namespace.name();
    create(client, "shop", namespace.name() + ".example.test", missing);

    var status = awaitReason(client, "shop", "IngressClassNotFound");
    assertThat(Conditions.find(status.conditions, Conditions.READY).orElseThrow().getMessage())
        .startsWith(
            "IngressClass "
                + missing
                + " (spec.ingress.className) does not exist: no ingress controller serves the"
                + " app's Ingress. IngressClasses in the cluster: ")
        .contains("(default: " + LocalControlPlane.INGRESS_CLASS + ")");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.v1().events().list().getItems().stream()
                    .anyMatch(
                        e ->
                            "IngressClassNotFound".equals(e.getReason())
                                && "shop".equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())));
    assertThat(client.network().v1().ingresses().withName("shop").get())
        .as("created anyway: it is served as soon as the class exists")
        .isNotNull();

    var ingressClass =
        client
            .network()
            .v1()
            .ingressClasses()
            .resource(
                new IngressClassBuilder()
                    .withNewMetadata()
                    .withName(missing)
                    .endMetadata()
                    .withNewSpec()
                    .withController("example.test/" + missing)
                    .endSpec()
                    .build())
            .create();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> status(client, "shop"),
              s ->
                  Conditions.find(s.conditions, Conditions.READY)
                      .filter(c -> "IngressClassNotFound".equals(c.getReason()))
                      .isEmpty());
    } finally {
      client.resource(ingressClass).delete();
    }
  }

  static void create(KubernetesClient client, String name, String host, String className) {
    var app =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: %s}
        spec:
          image: registry.example.com/shop:1.0
          migrations: {enabled: false}
          ingress: {host: %s}
        """
                    .formatted(name, host),
                DjangoApp.class);
    app.getSpec().ingress.className = className;
    client.resource(app).create();
  }

  static DjangoAppStatus status(KubernetesClient client, String name) {
    var app = client.resources(DjangoApp.class).withName(name).get();
    return app.getStatus() == null ? new DjangoAppStatus() : app.getStatus();
  }

  static DjangoAppStatus awaitReason(KubernetesClient client, String name, String reason) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> status(client, name),
            s ->
                Conditions.find(s.conditions, Conditions.READY)
                    .filter(c -> reason.equals(c.getReason()))
                    .isPresent());
  }
}
