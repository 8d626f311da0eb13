package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.ScheduleSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleRunsTest {

  static DjangoApp app() {
    var app = TestApps.polls();
    var s = new ScheduleSpec();
    s.name = "clearsessions";
    s.schedule = "@daily";
    s.command = List.of("python", "manage.py", "clearsessions");
    app.getSpec().schedules = List.of(s);
    return app;
  }

  static Job job(String name, String created, String outcome) {
    var job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withCreationTimestamp(created)
            .addToLabels("django.operators.dev/schedule", "clearsessions")
            .endMetadata()
            .withNewStatus()
            .withStartTime(created)
            .endStatus();
    if ("Succeeded".equals(outcome)) {
      job.editStatus().withSucceeded(1).withCompletionTime(created).endStatus();
    } else if ("Failed".equals(outcome)) {
      job.editStatus()
          .addNewCondition()
          .withType("Failed")
          .withStatus("True")
          .withReason("BackoffLimitExceeded")
          .withMessage("Job has reached the specified backoff" + " limit")
          .endCondition()
          .endStatus();
    }
    return job.build();
  }

  @Test
  void theLatestRunIsReportedWithItsJobAndOutcome() {
    var cron =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("polls-clearsessions")
            .endMetadata()
            .withNewStatus()
            .withLastScheduleTime("2026-12-02T03:17:00Z")
            .endStatus()
            .build();
    var schedules =
        ScheduleRuns.of(
            app(),
            List.of(cron),
            List.of(
                job("polls-clearsessions-1", "2026-12-01T03:17:00Z", "Succeeded"),
                job("polls-clearsessions-2", "2026-12-02T03:17:00Z", "Failed")));
    assertThat(schedules)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name).isEqualTo("clearsessions");
              assertThat(s.lastScheduleTime).isEqualTo("2026-12-02T03:17:00Z");
              assertThat(s.lastJob).isEqualTo("polls-clearsessions-2");
              assertThat(s.lastResult).isEqualTo("Failed");
              assertThat(s.lastFailureMessage).startsWith("BackoffLimitExceeded");
            });
    assertThat(ScheduleRuns.of(app(), List.of(), List.of()))
        .singleElement()
        .satisfies(s -> assertThat(s.lastJob).isNull());
    assertThat(ScheduleRuns.of(TestApps.polls(), List.of(), List.of())).isNull();
  }

  @Test
  void aFailedRunIsAnnouncedOnce() {
    var app = app();
    var failed = new DjangoAppStatus();
    failed.schedules =
        ScheduleRuns.of(
            app,
            List.of(),
            List.of(job("polls-clearsessions-2", "2026-12-02T03:17:00Z", "Failed")));
    var running = new DjangoAppStatus();
    running.schedules =
        ScheduleRuns.of(
            app,
            List.of(),
            List.of(job("polls-clearsessions-2", "2026-12-02T03:17:00Z", "Running")));

    assertThat(ScheduleRuns.announcements(running, failed))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.warning()).isTrue();
              assertThat(a.reason()).isEqualTo("ScheduleFailed");
              assertThat(a.message())
                  .contains(
                      "Job polls-clearsessions-2 failed", "kubectl logs job/polls-clearsessions-2");
            });
    assertThat(ScheduleRuns.announcements(null, failed)).hasSize(1);
    assertThat(ScheduleRuns.announcements(failed, failed)).as("already reported").isEmpty();
    assertThat(ScheduleRuns.announcements(failed, running)).isEmpty();
  }
}
