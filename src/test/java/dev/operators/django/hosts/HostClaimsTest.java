package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.IngressSpec;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.hosts.HostOwnership.Claimant;
import dev.operators.django.hosts.HostOwnership.Kind;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostClaimsTest {

  @Test
  void theIngressHostAndExactAllowedHostsAreClaimedNotDjangoPatterns() {
    var app = TestApps.minimal();
    app.getSpec().ingress = new IngressSpec();
    app.getSpec().ingress.host = "Shop.Example.test";
    app.getSpec().settings = new SettingsSpec();
    app.getSpec().settings.allowedHosts =
        List.of(".example.test", "*", "shop.example.test.", "admin.example.test");
    assertThat(HostClaims.of(app)).containsExactly("shop.example.test", "admin.example.test");
  }

  @Test
  void reducedObjectsKeepIdentityAgeOwnerAndHostsOnly() {
    var ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName("shop")
            .withNamespace("a")
            .withUid("u1")
            .withResourceVersion("7")
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .withLabels(Map.of("app.kubernetes.io/managed-by", "django-operator", "x", "y"))
            .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{...}"))
            .addNewOwnerReference()
            .withApiVersion("django.operators.dev/v1alpha1")
            .withKind("DjangoApp")
            .withName("shop")
            .withUid("app-uid")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withIngressClassName("nginx")
            .addNewRule()
            .withHost("Shop.example.test")
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .endPath()
            .endHttp()
            .endRule()
            .endSpec()
            .build();
    var reduced = IngressHosts.reduce(ingress);
    assertThat(reduced.getMetadata().getAnnotations()).isNull();
    assertThat(reduced.getMetadata().getLabels())
        .containsExactly(Map.entry("app.kubernetes.io/managed-by", "django-operator"));
    assertThat(reduced.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(reduced.getSpec().getIngressClassName()).isNull();
    assertThat(IngressHosts.hosts(reduced)).containsExactly("shop.example.test");
    assertThat(IngressHosts.ownerApp(reduced)).map(id -> id.getName()).contains("shop");
  }

  @Test
  void theMessageNamesTheOwnerAndItsAge() {
    var decision =
        new HostDecision(
            Map.of(
                "shop.example.test",
                new Claimant(
                    Kind.DjangoApp, "team-a", "shop", Instant.parse("2026-01-01T00:00:00Z"), true)),
            true);
    assertThat(decision.reason()).isEqualTo("HostConflict");
    assertThat(decision.message())
        .startsWith(
            "host shop.example.test is already served by"
                + " DjangoApp team-a/shop (created 2026-01-01T00:00:00Z); choose another host or remove"
                + " it there. The app has no Ingress");
    var foreign =
        new HostDecision(
            Map.of("shop.example.test", new Claimant(Kind.Ingress, "legacy", "shop", null, true)),
            false);
    assertThat(foreign.reason()).isEqualTo("HostServedElsewhere");
    assertThat(foreign.message())
        .contains("Ingress legacy/shop, which django-operator does not" + " manage");
  }
}
