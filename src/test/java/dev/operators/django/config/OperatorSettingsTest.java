package dev.operators.django.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsWatchEverythingWithLetsEncryptIssuers() {
    var settings = OperatorSettings.fromEnvironment(Map.of());
    assertThat(settings.watchesAllNamespaces()).isTrue();
    assertThat(settings.defaultIngressClass()).isEmpty();
    assertThat(settings.defaultIssuerKind()).isEqualTo("ClusterIssuer");
    assertThat(settings.defaultStagingIssuer()).isEqualTo("letsencrypt-staging");
    assertThat(settings.defaultProductionIssuer()).isEqualTo("letsencrypt-prod");
    assertThat(settings.healthPort()).isEqualTo(8080);
    assertThat(settings.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void readsTheEnvironment() {
    var settings =
        OperatorSettings.fromEnvironment(
            Map.of(
                "WATCH_NAMESPACES", " team-a, team-b ,,",
                "DEFAULT_INGRESS_CLASS", "traefik",
                "DEFAULT_ISSUER_KIND", "Issuer",
                "DEFAULT_STAGING_ISSUER", "stage",
                "DEFAULT_PRODUCTION_ISSUER", "prod",
                "HEALTH_PORT", "9000"));
    assertThat(settings.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(settings.defaultIngressClass()).contains("traefik");
    assertThat(settings.defaultIssuerKind()).isEqualTo("Issuer");
    assertThat(settings.defaultStagingIssuer()).isEqualTo("stage");
    assertThat(settings.defaultProductionIssuer()).isEqualTo("prod");
    assertThat(settings.healthPort()).isEqualTo(9000);
  }

  @Test
  void rejectsAnUnknownIssuerKind() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("DEFAULT_ISSUER_KIND", "X")))
        .hasMessageContaining("DEFAULT_ISSUER_KIND must be ClusterIssuer or Issuer");
  }
}
