package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.ScheduleSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleCronJobDependentTest {

  static ScheduleSpec clearsessions() {
    var s = new ScheduleSpec();
    s.name = "clearsessions";
    s.schedule = "17 3 * * *";
    s.timeZone = "Europe/Paris";
    s.command = List.of("python", "manage.py", "clearsessions");
    return s;
  }

  @Test
  void aScheduleIsACronJobOfTheMigratedImageWithTheWebsEnvironment() {
    var app = ProcessChildrenTest.celery();
    app.getSpec().schedules = List.of(clearsessions());
    var inputs = ProcessChildrenTest.gated();
    var cronJobs = ScheduleCronJobDependent.build(app, inputs);
    assertThat(cronJobs).containsOnlyKeys("polls-clearsessions");
    var spec = cronJobs.get("polls-clearsessions").getSpec();
    assertThat(spec.getSchedule()).isEqualTo("17 3 * * *");
    assertThat(spec.getTimeZone()).isEqualTo("Europe/Paris");
    assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(spec.getStartingDeadlineSeconds()).isEqualTo(300L);
    assertThat(spec.getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(spec.getFailedJobsHistoryLimit()).isEqualTo(3);
    var job = spec.getJobTemplate();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "django-operator")
        .containsEntry("django.operators.dev/schedule", "clearsessions")
        .containsEntry("app.kubernetes.io/instance", "polls");
    var pod = job.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels())
        .as("the runs' pods are not the app's workload")
        .doesNotContainKey("app.kubernetes.io/managed-by")
        .containsEntry("app.kubernetes.io/instance", "polls");
    var container = pod.getSpec().getContainers().get(0);
    var web =
        DeploymentDependent.build(app, inputs, Optional.empty())
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo(ProcessChildrenTest.MIGRATED);
    assertThat(container.getCommand()).containsExactly("python", "manage.py", "clearsessions");
    assertThat(container.getEnv()).isEqualTo(web.getEnv());
    assertThat(container.getSecurityContext()).isEqualTo(web.getSecurityContext());
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
  }

  @Test
  void theSpecOverridesTheDefaults() {
    var app = ProcessChildrenTest.celery();
    var s = clearsessions();
    s.concurrencyPolicy = ScheduleSpec.ConcurrencyPolicy.Replace;
    s.startingDeadlineSeconds = 60L;
    s.successfulJobsHistoryLimit = 1;
    s.failedJobsHistoryLimit = 5;
    s.backoffLimit = 2;
    s.suspend = true;
    app.getSpec().schedules = List.of(s);
    var spec =
        ScheduleCronJobDependent.build(app, ProcessChildrenTest.gated())
            .get("polls-clearsessions")
            .getSpec();
    assertThat(spec.getConcurrencyPolicy()).isEqualTo("Replace");
    assertThat(spec.getStartingDeadlineSeconds()).isEqualTo(60L);
    assertThat(spec.getSuccessfulJobsHistoryLimit()).isEqualTo(1);
    assertThat(spec.getFailedJobsHistoryLimit()).isEqualTo(5);
    assertThat(spec.getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(spec.getSuspend()).isTrue();
  }
}
