package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.TlsSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.testing.TestApps;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressDependentTest {

  @Test
  void routesTheHostToTheServiceWithTlsAndTheChosenIssuer() {
    var app = TestApps.polls();
    var ingress = IngressDependent.build(app, TestApps.inputs(app));

    assertThat(ingress.getMetadata().getName()).isEqualTo("polls");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt-staging")
        .containsEntry(
            "cert-manager.io/secret-template",
            "{\"labels\":{"
                + "\"app.kubernetes.io/component\":\"tls\",\"app.kubernetes.io/instance\":\"polls\","
                + "\"app.kubernetes.io/managed-by\":\"django-operator\",\"app.kubernetes.io/name\":"
                + "\"django\",\"app.kubernetes.io/part-of\":\"polls\"}}")
        .hasSize(2);
    // The sample names no class: the API server gives the Ingress the cluster's default.
    assertThat(ingress.getSpec().getIngressClassName()).isNull();
    var rule = ingress.getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("polls.example.com");
    var path = rule.getHttp().getPaths().get(0);
    assertThat(path.getPath()).isEqualTo("/");
    assertThat(path.getPathType()).isEqualTo("Prefix");
    assertThat(path.getBackend().getService().getName()).isEqualTo("polls");
    assertThat(path.getBackend().getService().getPort().getNumber()).isEqualTo(8000);
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getHosts()).containsExactly("polls.example.com");
              assertThat(tls.getSecretName()).isEqualTo("polls-tls");
            });
  }

  @Test
  void takingTheHostOverItServesTheSharedSecretAndAsksForItsCertificateOnlyOnceAlone() {
    var app = TestApps.polls();
    app.getSpec().ingress.replaces = "polls-ingress";
    app.getSpec().ingress.tls.secretName = "polls-tls-existing";
    var base = TestApps.inputs(app);
    var shared =
        new AppInputs(
            base.settings(),
            base.references(),
            base.tls(),
            base.webImage(),
            new HostDecision(Map.of(), false, Optional.of("polls-ingress")));

    var beside = IngressDependent.build(app, shared);
    assertThat(beside.getMetadata().getAnnotations())
        .doesNotContainKeys("cert-manager.io/cluster-issuer", "cert-manager.io/secret-template");
    assertThat(beside.getSpec().getTls())
        .singleElement()
        .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("polls-tls-existing"));

    var alone = IngressDependent.build(app, base);
    assertThat(alone.getMetadata().getAnnotations())
        .containsKeys("cert-manager.io/cluster-issuer", "cert-manager.io/secret-template");
    assertThat(alone.getSpec().getTls().get(0).getSecretName()).isEqualTo("polls-tls-existing");
  }

  @Test
  void namespacedIssuerUsesTheIssuerAnnotation() {
    var app = TestApps.polls();
    app.getSpec().ingress.tls.issuerKind = TlsSpec.IssuerKind.Issuer;
    var ingress = IngressDependent.build(app, TestApps.inputs(app));
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/issuer", "letsencrypt-staging")
        .doesNotContainKey("cert-manager.io/cluster-issuer");
  }

  @Test
  void withoutTlsThereIsNoTlsSectionAndNoIssuer() {
    var app = TestApps.polls();
    app.getSpec().ingress.tls = null;
    app.getSpec().ingress.annotations.put("nginx.ingress.kubernetes.io/proxy-body-size", "10m");
    var ingress = IngressDependent.build(app, TestApps.inputs(app));
    assertThat(ingress.getSpec().getTls()).isNullOrEmpty();
    assertThat(ingress.getMetadata().getAnnotations())
        .containsExactly(Map.entry("nginx.ingress.kubernetes.io/proxy-body-size", "10m"));
  }

  @Test
  void classDefaultsToTheOperatorSetting() {
    var app = TestApps.polls();
    app.getSpec().ingress.className = null;
    var settings = OperatorSettings.fromEnvironment(Map.of("DEFAULT_INGRESS_CLASS", "traefik"));
    var ingress =
        IngressDependent.build(app, TestApps.inputs(app, settings, ObservedReferences.none()));
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
  }
}
