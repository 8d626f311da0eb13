package dev.operators.django.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseGate.Step;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the app's Jobs are classified and read, from the objects the Job controller writes. */
class ReleaseJobsTest {

  static Job job(
      DjangoApp app,
      String component,
      String image,
      String created,
      Integer succeeded,
      String failedReason) {
    var builder =
        new JobBuilder()
            .withNewMetadata()
            .withName(DjangoAppResources.job(app, component, image))
            .withNamespace("team-a")
            .withCreationTimestamp(created)
            .withLabels(DjangoAppResources.labels(app, component))
            .addToAnnotations(DjangoAppResources.IMAGE_ANNOTATION, image)
            .endMetadata()
            .withNewStatus()
            .withSucceeded(succeeded)
            .endStatus();
    if (failedReason != null) {
      builder
          .editStatus()
          .withConditions(
              new JobConditionBuilder()
                  .withType("Failed")
                  .withStatus("True")
                  .withReason(failedReason)
                  .withMessage("it failed")
                  .build())
          .endStatus();
    }
    return builder.build();
  }

  /** succeeded pods, Failed condition reason -> outcome, reason. */
  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of("just created", null, null, Outcome.RUNNING, "Running"),
        Arguments.of("a pod succeeded", 1, null, Outcome.SUCCEEDED, "Complete"),
        Arguments.of(
            "backoff limit reached",
            0,
            "BackoffLimitExceeded",
            Outcome.FAILED,
            "BackoffLimitExceeded"),
        Arguments.of(
            "deadline exceeded", null, "DeadlineExceeded", Outcome.FAILED, "DeadlineExceeded"),
        Arguments.of(
            "a success outweighs a later Failed condition",
            1,
            "BackoffLimitExceeded",
            Outcome.SUCCEEDED,
            "Complete"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void classifies(
      String name, Integer succeeded, String failedReason, Outcome outcome, String reason) {
    var state =
        ReleaseJobs.state(
            job(
                TestApps.polls(),
                DjangoAppResources.MIGRATE,
                "app:1",
                "2026-12-02T10:00:00Z",
                succeeded,
                failedReason));
    assertThat(state.outcome()).isEqualTo(outcome);
    assertThat(state.reason()).isEqualTo(reason);
  }

  @Test
  void theGateSeesTheDesiredImagesJobsAndStepsRunningForOthers() {
    var app = TestApps.polls();
    app.getSpec().image = "app:2";
    var jobs =
        List.of(
            job(app, DjangoAppResources.MIGRATE, "app:1", "2026-12-02T10:00:00Z", 1, null),
            job(app, DjangoAppResources.MIGRATE, "app:2", "2026-12-02T11:00:00Z", null, null),
            job(app, DjangoAppResources.STATIC, "app:0", "2026-12-02T09:00:00Z", null, null));
    var observed = ReleaseJobs.observe(app, ObservedReferences.none(), jobs, Optional.of("app:1"));
    assertThat(observed.desiredImage()).isEqualTo("app:2");
    assertThat(observed.forDesiredImage()).containsOnlyKeys(Step.MIGRATE);
    assertThat(observed.forDesiredImage().get(Step.MIGRATE).outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(observed.runningForOtherImages()).containsExactly(Step.COLLECTSTATIC);
    assertThat(observed.lastMigratedImage()).contains("app:1");
    assertThat(observed.deploymentImage()).contains("app:1");
  }

  @Test
  void theMigratedImageIsTheNewestSuccessfulMigrations() {
    var app = TestApps.polls();
    var jobs =
        List.of(
            job(app, DjangoAppResources.MIGRATE, "app:1", "2026-12-02T10:00:00Z", 1, null),
            job(app, DjangoAppResources.MIGRATE, "app:3", "2026-12-02T12:00:00Z", 0, "Failed"),
            job(app, DjangoAppResources.MIGRATE, "app:2", "2026-12-02T11:00:00Z", 1, null),
            job(app, DjangoAppResources.STATIC, "app:4", "2026-12-02T13:00:00Z", 1, null));
    assertThat(ReleaseJobs.migratedImage(jobs)).contains("app:2");
    assertThat(ReleaseJobs.migratedImage(List.of())).isEmpty();
  }

  @Test
  void theSuperusersJobIsTheOneForTheSecretsContent() {
    var app = TestApps.withSuperuser();
    var refs =
        new ObservedReferences(
            new TreeMap<>(Map.of("Secret/" + app.getSpec().superuser.credentialsSecret, "v2")),
            List.of());
    var current = job(app, DjangoAppResources.SUPERUSER, "v2", "2026-12-02T10:00:00Z", 1, null);
    var old = job(app, DjangoAppResources.SUPERUSER, "v1", "2026-12-02T09:00:00Z", 1, null);
    assertThat(ReleaseJobs.superuserJob(app, refs, List.of(old, current))).contains(current);
    assertThat(ReleaseJobs.superuserJob(app, refs, List.of(old))).isEmpty();
    assertThat(ReleaseJobs.observe(app, refs, List.of(old), Optional.empty()).superuser())
        .isEqualTo(new ReleaseGate.Superuser(true, Optional.empty()));
  }
}
