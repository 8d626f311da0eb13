package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.SettingsSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigMapDependentTest {

  @Test
  void carriesTheTutorialsNonSecretSettings() {
    var configMap = ConfigMapDependent.build(TestApps.polls());
    assertThat(configMap.getMetadata().getName()).isEqualTo("polls-config");
    assertThat(configMap.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "django-operator");
    assertThat(configMap.getData()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "DEBUG", "False",
        "DJANGO_LOGLEVEL", "info",
        "DJANGO_ALLOWED_HOSTS", "polls.example.com",
        "DATABASE_ENGINE", "postgresql",
        "DATABASE_HOST", "db.example.internal",
        "DATABASE_PORT", "5432",
        "DATABASE_NAME", "polls",
        "STATIC_BUCKET_NAME", "polls-static",
        "STATIC_ENDPOINT_URL", "https://nyc3.digitaloceanspaces.com",
        "DJANGO_SETTINGS_MODULE", "mysite.settings"));
  }

  @Test
  void allowedHostsAreWrittenHostsThenIngressHostThenServiceNamesNeverAStar() {
    var app = TestApps.polls();
    app.getSpec().settings.allowedHosts = List.of("a.example.com", "b.example.com");
    assertThat(ConfigMapDependent.allowedHosts(app))
        .containsExactly("a.example.com", "b.example.com");

    app.getSpec().settings.allowedHosts = List.of();
    assertThat(ConfigMapDependent.allowedHosts(app)).containsExactly("polls.example.com");

    var minimal = TestApps.minimal();
    assertThat(ConfigMapDependent.allowedHosts(minimal))
        .containsExactly("blog", "blog.team-a.svc", "blog.team-a.svc.cluster.local")
        .doesNotContain("*");
  }

  @Test
  void minimalAppGetsDefaultsAndNoDatabaseOrStorage() {
    var data = ConfigMapDependent.data(TestApps.minimal());
    assertThat(data).containsEntry("DEBUG", "False").containsEntry("DJANGO_LOGLEVEL", "info");
    assertThat(data).doesNotContainKeys("DATABASE_HOST", "STATIC_BUCKET_NAME");
  }

  @Test
  void debugAndLogLevelAreRendered() {
    var app = TestApps.polls();
    app.getSpec().settings.debug = true;
    app.getSpec().settings.logLevel = SettingsSpec.LogLevel.warning;
    assertThat(ConfigMapDependent.data(app))
        .containsEntry("DEBUG", "True")
        .containsEntry("DJANGO_LOGLEVEL", "warning");
  }
}
