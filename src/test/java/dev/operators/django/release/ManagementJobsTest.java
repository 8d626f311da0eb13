package dev.operators.django.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ManagementCommandSpec;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate.Step;
import dev.operators.django.testing.TestApps;
import dev.operators.django.workload.DjangoContainer;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How the management Jobs look. */
class ManagementJobsTest {

  @Test
  void migrateRunsTheAppsImageWithTheAppsEnvironmentOncePerImage() {
    var app = TestApps.polls();
    var job = ManagementJobs.step(app, ObservedReferences.none(), Step.MIGRATE);
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    var web = DjangoContainer.container(app, ObservedReferences.none());

    assertThat(job.getMetadata().getName())
        .isEqualTo(DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE));
    assertThat(job.getMetadata().getLabels())
        .containsAllEntriesOf(DjangoAppResources.labels(app, DjangoAppResources.MIGRATE));
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(DjangoAppResources.IMAGE_ANNOTATION, app.getSpec().image);
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getController()).isTrue());
    assertThat(container.getImage()).isEqualTo(app.getSpec().image);
    assertThat(container.getCommand())
        .containsExactly("python", "manage.py", "migrate", "--noinput");
    assertThat(container.getEnv()).isEqualTo(web.getEnv());
    assertThat(container.getEnvFrom()).isEqualTo(web.getEnvFrom());
    assertThat(container.getSecurityContext()).isEqualTo(web.getSecurityContext());
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);

    var next = TestApps.copy(app);
    next.getSpec().image = "registry.example.com/polls:2";
    assertThat(
            ManagementJobs.step(next, ObservedReferences.none(), Step.MIGRATE)
                .getMetadata()
                .getName())
        .isNotEqualTo(job.getMetadata().getName());
  }

  @Test
  void aCustomCommandReplacesTheDefault() {
    var app = TestApps.polls();
    app.getSpec().migrations = new ManagementCommandSpec();
    app.getSpec().migrations.command = List.of("python", "manage.py", "migrate", "--plan");
    assertThat(
            ManagementJobs.step(app, ObservedReferences.none(), Step.MIGRATE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getCommand())
        .containsExactly("python", "manage.py", "migrate", "--plan");
  }

  @Test
  void createsuperuserReadsItsCredentialsFromTheSecretNeverInline() {
    var app = TestApps.withSuperuser();
    var refs = new ObservedReferences(new TreeMap<>(Map.of("Secret/polls-admin", "v1")), List.of());
    var job = ManagementJobs.superuser(app, refs);
    var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();

    assertThat(job.getMetadata().getName())
        .isEqualTo(DjangoAppResources.job(app, DjangoAppResources.SUPERUSER, "v1"));
    assertThat(env)
        .filteredOn(e -> e.getName().startsWith("DJANGO_SUPERUSER_"))
        .extracting(EnvVar::getName)
        .containsExactly(
            "DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_EMAIL", "DJANGO_SUPERUSER_PASSWORD");
    assertThat(env)
        .filteredOn(e -> e.getName().startsWith("DJANGO_SUPERUSER_"))
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("polls-admin");
            });
  }
}
