package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DatabaseSpec;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.testing.TestApps;
import dev.operators.django.workload.DjangoSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigMapDependentTest {

  @Test
  void carriesTheTutorialsNonSecretSettings() {
    var configMap = ConfigMapDependent.build(TestApps.polls());
    assertThat(configMap.getMetadata().getName()).isEqualTo("polls-settings");
    assertThat(configMap.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "django-operator");
    assertThat(configMap.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "DEBUG",
                "",
                "DJANGO_LOGLEVEL",
                "info",
                "DJANGO_ALLOWED_HOSTS",
                "polls.example.com,polls,polls.polls.svc,polls.polls.svc.cluster.local",
                "DATABASE_ENGINE",
                "postgresql",
                "DATABASE_HOST",
                "db.example.internal",
                "DATABASE_PORT",
                "5432",
                "DATABASE_NAME",
                "polls",
                "STATIC_BUCKET_NAME",
                "polls-static",
                "STATIC_ENDPOINT_URL",
                "https://nyc3.digitaloceanspaces.com",
                "DJANGO_SETTINGS_MODULE",
                "mysite.settings"));
  }

  @Test
  void allowedHostsAreIngressHostServiceNamesThenWrittenHostsNeverAStar() {
    var app = TestApps.polls();
    app.getSpec().settings.allowedHosts = List.of("a.example.com", "polls.example.com");
    assertThat(DjangoSettings.allowedHosts(app))
        .containsExactly(
            "polls.example.com",
            "polls",
            "polls.polls.svc",
            "polls.polls.svc.cluster.local",
            "a.example.com");
    assertThat(DjangoSettings.probeHost(app)).isEqualTo("polls.example.com");

    var minimal = TestApps.minimal();
    assertThat(DjangoSettings.allowedHosts(minimal))
        .containsExactly("blog", "blog.team-a.svc", "blog.team-a.svc.cluster.local")
        .doesNotContain("*");
    assertThat(DjangoSettings.probeHost(minimal)).isEqualTo("blog");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "postgresql, -, 5432",
        "postgresql_psycopg2, -, 5432",
        "mysql, -, 3306",
        "oracle, -, 1521",
        "sqlite3, -, -",
        "mysql, 3307, 3307"
      })
  void theDatabasePortDefaultsToTheEnginesAndSqliteNeedsNoHost(
      DatabaseSpec.Engine engine, Integer port, String expected) {
    var app = TestApps.polls();
    app.getSpec().database.engine = engine;
    app.getSpec().database.port = port;
    if (engine == DatabaseSpec.Engine.sqlite3) {
      app.getSpec().database.host = null;
      app.getSpec().database.name = "/data/db.sqlite3";
    }
    var data = DjangoSettings.data(app);
    assertThat(data.get("DATABASE_PORT")).isEqualTo(expected);
    assertThat(data.containsKey("DATABASE_HOST")).isEqualTo(engine != DatabaseSpec.Engine.sqlite3);
  }

  @Test
  void minimalAppGetsDefaultsAndNoDatabaseOrStorage() {
    var data = DjangoSettings.data(TestApps.minimal());
    assertThat(data).containsEntry("DEBUG", "").containsEntry("DJANGO_LOGLEVEL", "info");
    assertThat(data).doesNotContainKeys("DATABASE_HOST", "STATIC_BUCKET_NAME");
  }

  @Test
  void debugAndLogLevelAreRendered() {
    var app = TestApps.polls();
    app.getSpec().settings.debug = true;
    app.getSpec().settings.logLevel = SettingsSpec.LogLevel.warning;
    assertThat(DjangoSettings.data(app))
        .containsEntry("DEBUG", "True")
        .containsEntry("DJANGO_LOGLEVEL", "warning");
  }
}
