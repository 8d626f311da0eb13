package dev.operators.django.release;

import static dev.operators.django.release.ReleaseJobsTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.JobsSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which finished Jobs are deleted: beyond the history limit, oldest first, never a live one. */
class JobHistoryTest {
  static final String M = DjangoAppResources.MIGRATE;
  static final String S = DjangoAppResources.SUPERUSER;

  /** A finished (succeeded) Job of an image, created at hour {@code hour}. */
  static Job done(String component, String image, int hour) {
    return job(
        TestApps.polls(), component, image, "2026-12-02T%02d:00:00Z".formatted(hour), 1, null);
  }

  static Job running(String component, String image, int hour) {
    return job(
        TestApps.polls(), component, image, "2026-12-02T%02d:00:00Z".formatted(hour), null, null);
  }

  /** history limit, jobs (the app's image is app:9) -> the images of the Jobs deleted. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "within the limit",
            3,
            List.of(done(M, "app:1", 1), done(M, "app:2", 2), done(M, "app:3", 3)),
            List.of()),
        Arguments.of(
            "beyond the limit: the oldest go",
            2,
            List.of(done(M, "app:3", 3), done(M, "app:1", 1), done(M, "app:2", 2)),
            List.of("app:1")),
        Arguments.of(
            "a running Job is never deleted",
            0,
            List.of(running(M, "app:1", 1), done(M, "app:2", 2)),
            List.of("app:2")),
        Arguments.of(
            "the current image's Jobs are kept: the gate reads them",
            0,
            List.of(done(M, "app:9", 9), done(M, "app:2", 2)),
            List.of("app:2")),
        Arguments.of(
            "per component: migrate and superuser counted apart",
            1,
            List.of(done(M, "app:1", 1), done(M, "app:2", 2), done(S, "v1", 1), done(S, "v2", 2)),
            List.of("app:1", "v1")),
        Arguments.of(
            "superuser Jobs have no image to keep: the limit alone",
            0,
            List.of(done(S, "app:9", 9)),
            List.of("app:9")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void expires(String name, int limit, List<Job> jobs, List<String> deleted) {
    var app = TestApps.polls();
    app.getSpec().image = "app:9";
    app.getSpec().jobs = new JobsSpec();
    app.getSpec().jobs.historyLimit = limit;
    assertThat(JobHistory.expired(app, jobs))
        .extracting(j -> j.getMetadata().getAnnotations().get(DjangoAppResources.IMAGE_ANNOTATION))
        .containsExactlyInAnyOrderElementsOf(deleted);
  }
}
