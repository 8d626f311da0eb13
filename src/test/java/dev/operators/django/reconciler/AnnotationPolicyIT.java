package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform's annotation policy: by default the annotations that inject configuration into a
 * shared ingress controller are refused and reported, and the Ingress is left as it was; the
 * platform team allows and denies keys by pattern in the operator's environment.
 */
@WithCluster
class AnnotationPolicyIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void byDefaultASnippetIsRefusedAndTheIngressKeepsItsPreviousState(
      KubernetesClient client, TestNamespace namespace) {
    create(
        client,
        "shop",
        namespace.name() + ".example.test",
        Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "10m"));
    var ingress = await().atMost(TIMEOUT).until(() -> ingress(client, "shop"), i -> i != null);

    Edits.edit(
        client,
        "shop",
        app -> {
          app.getSpec()
              .ingress
              .annotations
              .put("nginx.ingress.kubernetes.io/server-snippet", "location /admin { return 200; }");
          app.getSpec()
              .ingress
              .annotations
              .put("nginx.ingress.kubernetes.io/proxy-body-size", "20m");
          return app;
        });
    var status = awaitReason(client, "shop", "AnnotationRefused");
    assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isTrue();
    assertThat(Conditions.find(status.conditions, Conditions.READY).orElseThrow().getMessage())
        .isEqualTo(
            "spec.ingress.annotations nginx.ingress.kubernetes.io/server-snippet"
                + " (INGRESS_ANNOTATIONS_DENY pattern nginx.ingress.kubernetes.io/*-snippet (the"
                + " default)) is refused by the platform's annotation policy: they would change how"
                + " the shared ingress controller serves other apps. Remove it, or ask the platform"
                + " team to allow it (INGRESS_ANNOTATIONS_ALLOW). The Ingress is left as it was"
                + " until then");
    // Not applied at all: neither the snippet nor the other change of the same edit.
    var kept = ingress(client, "shop");
    assertThat(kept.getMetadata().getResourceVersion())
        .isEqualTo(ingress.getMetadata().getResourceVersion());
    assertThat(kept.getMetadata().getAnnotations())
        .doesNotContainKey("nginx.ingress.kubernetes.io/server-snippet")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "10m");

    Edits.edit(
        client,
        "shop",
        app -> {
          app.getSpec().ingress.annotations.remove("nginx.ingress.kubernetes.io/server-snippet");
          return app;
        });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                ingress(client, "shop")
                    .getMetadata()
                    .getAnnotations()
                    .get("nginx.ingress.kubernetes.io/proxy-body-size"),
            "20m"::equals);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> status(client, "shop"),
            s -> !Conditions.isTrue(s.conditions, Conditions.STALLED));
  }

  @Test
  void thePlatformAllowsAndDeniesKeysByPattern(KubernetesClient client, TestNamespace namespace) {
    operator.withEnv(
        "INGRESS_ANNOTATIONS_DENY",
        "nginx.ingress.kubernetes.io/*-snippet,nginx.ingress.kubernetes.io/auth-url,"
            + "example.com/*");
    operator.withEnv("INGRESS_ANNOTATIONS_ALLOW", "nginx.ingress.kubernetes.io/auth-url");
    operator.restart();

    create(
        client,
        "auth",
        "auth-" + namespace.name() + ".example.test",
        Map.of("nginx.ingress.kubernetes.io/auth-url", "http://oauth2-proxy.auth.svc/oauth2/auth"));
    create(
        client,
        "custom",
        "custom-" + namespace.name() + ".example.test",
        Map.of("example.com/routing", "blue"));

    await()
        .atMost(TIMEOUT)
        .until(
            () -> ingress(client, "auth"),
            i ->
                i != null
                    && i.getMetadata()
                        .getAnnotations()
                        .containsKey("nginx.ingress.kubernetes.io/auth-url"));
    var refused = awaitReason(client, "custom", "AnnotationRefused");
    assertThat(Conditions.find(refused.conditions, Conditions.READY).orElseThrow().getMessage())
        .startsWith(
            "spec.ingress.annotations example.com/routing (INGRESS_ANNOTATIONS_DENY"
                + " pattern example.com/*) is refused");
    assertThat(ingress(client, "custom")).as("never created with the refused key").isNull();
  }

  static void create(
      KubernetesClient client, String name, String host, Map<String, String> annotations) {
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
    app.getSpec().ingress.annotations.putAll(annotations);
    client.resource(app).create();
  }

  static Ingress ingress(KubernetesClient client, String name) {
    return client.network().v1().ingresses().withName(name).get();
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
