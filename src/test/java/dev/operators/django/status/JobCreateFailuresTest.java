package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A Job whose pods cannot be created is named with the Job controller's own message. */
class JobCreateFailuresTest {
  static final String QUOTA =
      "Error creating: pods \"polls-migrate-x\" is forbidden: exceeded quota: no-pods,"
          + " requested: pods=1, used: pods=0, limited: pods=0";

  static Job job(Integer active, Integer succeeded, boolean failedCondition) {
    var builder =
        new JobBuilder()
            .withNewMetadata()
            .withName(DjangoAppResources.imageJob(TestApps.polls(), DjangoAppResources.MIGRATE))
            .withUid("job-uid")
            .endMetadata()
            .withNewStatus()
            .withActive(active)
            .withSucceeded(succeeded)
            .endStatus();
    if (failedCondition) {
      builder
          .editStatus()
          .addNewCondition()
          .withType("Failed")
          .withStatus("True")
          .withReason("DeadlineExceeded")
          .endCondition()
          .endStatus();
    }
    return builder.build();
  }

  static Event failedCreate(String uid, String at, String message) {
    return new EventBuilder()
        .withNewMetadata()
        .withName("e-" + at)
        .endMetadata()
        .withNewInvolvedObject()
        .withKind("Job")
        .withUid(uid)
        .endInvolvedObject()
        .withReason("FailedCreate")
        .withLastTimestamp(at)
        .withMessage(message)
        .build();
  }

  /** the Job, its FailedCreate Events -> failing. */
  static Stream<Arguments> table() {
    var event = failedCreate("job-uid", "2026-12-02T10:00:00Z", QUOTA);
    return Stream.of(
        Arguments.of("no pod could be created", job(null, null, false), List.of(event), true),
        Arguments.of(
            "a pod was created since: the Job's update ends it",
            job(1, null, false),
            List.of(event),
            false),
        Arguments.of("it succeeded", job(null, 1, false), List.of(event), false),
        Arguments.of(
            "it failed: the gate reports that", job(null, null, true), List.of(event), false),
        Arguments.of(
            "another Job's Event",
            job(null, null, false),
            List.of(failedCreate("other", "2026-12-02T10:00:00Z", QUOTA)),
            false),
        Arguments.of("no Event: merely starting", job(null, null, false), List.of(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void namesAJobWithoutPods(String name, Job job, List<Event> events, boolean failing) {
    var failure = JobCreateFailures.of(List.of(job), events);
    assertThat(failure.isPresent()).isEqualTo(failing);
    failure.ifPresent(
        f -> {
          assertThat(f.reason()).isEqualTo("FailedCreate");
          assertThat(f.message()).startsWith("Job polls-migrate-").contains("exceeded quota");
        });
  }

  @Test
  void theNewestEventSpeaks() {
    var failure =
        JobCreateFailures.of(
            List.of(job(null, null, false)),
            List.of(
                failedCreate("job-uid", "2026-12-02T10:00:00Z", "old"),
                failedCreate("job-uid", "2026-12-02T10:05:00Z", QUOTA)));
    assertThat(failure.map(Problem::message).orElseThrow()).endsWith(QUOTA);
  }

  @Test
  void theAppOfAManagementJobIsReadFromItsName() {
    var app = TestApps.polls();
    assertThat(
            DjangoAppResources.appOfJob(
                DjangoAppResources.imageJob(app, DjangoAppResources.STATIC)))
        .contains("polls");
    assertThat(DjangoAppResources.appOfJob("my-app-superuser-0123456789")).contains("my-app");
    assertThat(DjangoAppResources.appOfJob("polls-clearsessions-29400000"))
        .isEqualTo(Optional.empty());
  }
}
