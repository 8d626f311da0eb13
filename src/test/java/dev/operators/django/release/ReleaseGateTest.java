package dev.operators.django.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.release.ReleaseGate.Facts;
import dev.operators.django.release.ReleaseGate.JobState;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseGate.Step;
import dev.operators.django.release.ReleaseGate.Superuser;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseGateTest {
  static final String NEW = "app:2";
  static final String OLD = "app:1";
  static final Set<Step> BOTH = EnumSet.of(Step.MIGRATE, Step.COLLECTSTATIC);
  static final Set<Step> MIGRATE = EnumSet.of(Step.MIGRATE);

  static JobState job(Outcome outcome) {
    return new JobState(
        "app-migrate-x",
        outcome,
        outcome == Outcome.FAILED ? "BackoffLimitExceeded" : "Complete",
        "Job has reached the specified backoff limit");
  }

  /** steps, jobs for the new image, running for other images, deployment -> expectations. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "first deploy, nothing run yet",
            BOTH,
            Map.of(),
            Set.of(),
            null,
            null,
            BOTH,
            false,
            "Migrating"),
        Arguments.of(
            "first deploy, migration running",
            MIGRATE,
            Map.of(Step.MIGRATE, job(Outcome.RUNNING)),
            Set.of(),
            null,
            null,
            Set.of(),
            false,
            "Migrating"),
        Arguments.of(
            "first deploy, migration done",
            MIGRATE,
            Map.of(Step.MIGRATE, job(Outcome.SUCCEEDED)),
            Set.of(),
            null,
            NEW,
            Set.of(),
            true,
            "Succeeded"),
        Arguments.of(
            "new image: old image keeps serving while migrating",
            MIGRATE,
            Map.of(),
            Set.of(),
            OLD,
            OLD,
            MIGRATE,
            false,
            "Migrating"),
        Arguments.of(
            "new image: both steps must succeed",
            BOTH,
            Map.of(Step.MIGRATE, job(Outcome.SUCCEEDED), Step.COLLECTSTATIC, job(Outcome.RUNNING)),
            Set.of(),
            OLD,
            OLD,
            Set.of(),
            false,
            "Migrating"),
        Arguments.of(
            "new image released",
            BOTH,
            Map.of(
                Step.MIGRATE, job(Outcome.SUCCEEDED), Step.COLLECTSTATIC, job(Outcome.SUCCEEDED)),
            Set.of(),
            OLD,
            NEW,
            Set.of(),
            true,
            "Succeeded"),
        Arguments.of(
            "failed migration keeps the old image",
            MIGRATE,
            Map.of(Step.MIGRATE, job(Outcome.FAILED)),
            Set.of(),
            OLD,
            OLD,
            Set.of(),
            false,
            "MigrationFailed"),
        Arguments.of(
            "failed first migration: no Deployment",
            MIGRATE,
            Map.of(Step.MIGRATE, job(Outcome.FAILED)),
            Set.of(),
            null,
            null,
            Set.of(),
            false,
            "MigrationFailed"),
        Arguments.of(
            "another image still migrating: wait, never two at once",
            MIGRATE,
            Map.of(),
            EnumSet.of(Step.MIGRATE),
            OLD,
            OLD,
            Set.of(),
            false,
            "Migrating"),
        Arguments.of(
            "steps disabled: deploy at once",
            Set.of(),
            Map.of(),
            Set.of(),
            OLD,
            NEW,
            Set.of(),
            true,
            "Disabled"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String name,
      Set<Step> steps,
      Map<Step, JobState> jobs,
      Set<Step> runningElsewhere,
      String deployment,
      String webImage,
      Set<Step> start,
      boolean released,
      String reason) {
    var decision =
        ReleaseGate.decide(
            new Facts(
                NEW,
                steps,
                jobs,
                runningElsewhere,
                Optional.ofNullable(deployment),
                Optional.ofNullable(deployment),
                Superuser.NONE));
    assertThat(decision.webImage()).isEqualTo(Optional.ofNullable(webImage));
    assertThat(decision.start()).containsExactlyInAnyOrderElementsOf(start);
    assertThat(decision.released()).isEqualTo(released);
    assertThat(decision.reason()).isEqualTo(reason);
    assertThat(decision.failed()).isEqualTo("MigrationFailed".equals(reason));
    if (decision.failed()) {
      assertThat(decision.message())
          .contains("BackoffLimitExceeded")
          .contains("kubectl logs job/app-migrate-x");
    }
  }

  /** deployment image, last migrated image -> the image that serves until NEW is released. */
  static Stream<Arguments> serving() {
    return Stream.of(
        Arguments.of("no Deployment yet: nothing serves", null, null, null),
        Arguments.of("no Deployment, an earlier image migrated: still nothing", null, OLD, null),
        Arguments.of("the Deployment runs the last migrated image", OLD, OLD, OLD),
        Arguments.of(
            "a hand-edited Deployment image is not kept; the last migrated is",
            "app:edited",
            OLD,
            OLD),
        Arguments.of(
            "nothing migrated yet (migrations just enabled): the Deployment's image",
            OLD,
            null,
            OLD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serving")
  void keepsServingTheLastMigratedImage(
      String name, String deployment, String migrated, String serving) {
    var decision =
        ReleaseGate.decide(
            new Facts(
                NEW,
                MIGRATE,
                Map.of(),
                Set.of(),
                Optional.ofNullable(deployment),
                Optional.ofNullable(migrated),
                Superuser.NONE));
    assertThat(decision.released()).isFalse();
    assertThat(decision.webImage()).isEqualTo(Optional.ofNullable(serving));
  }

  /** released?, superuser asked for, its Job -> start createsuperuser now. */
  static Stream<Arguments> superuser() {
    return Stream.of(
        Arguments.of("released, asked for, not run yet", true, true, null, true),
        Arguments.of("released, asked for, running", true, true, Outcome.RUNNING, false),
        Arguments.of("released, asked for, done", true, true, Outcome.SUCCEEDED, false),
        Arguments.of(
            "released, asked for, failed: not retried for this Secret",
            true,
            true,
            Outcome.FAILED,
            false),
        Arguments.of("released, not asked for", true, false, null, false),
        Arguments.of("still migrating: wait for the release", false, true, null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("superuser")
  void startsCreatesuperuserOncePerSecretAfterARelease(
      String name, boolean released, boolean requested, Outcome job, boolean start) {
    var jobs = released ? Map.of(Step.MIGRATE, job(Outcome.SUCCEEDED)) : Map.<Step, JobState>of();
    var decision =
        ReleaseGate.decide(
            new Facts(
                NEW,
                MIGRATE,
                jobs,
                Set.of(),
                Optional.of(OLD),
                Optional.of(OLD),
                new Superuser(requested, Optional.ofNullable(job).map(ReleaseGateTest::job))));
    assertThat(decision.released()).isEqualTo(released);
    assertThat(decision.startSuperuser()).isEqualTo(start);
  }
}
