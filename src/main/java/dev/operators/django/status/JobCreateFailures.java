package dev.operators.django.status;

import dev.operators.django.api.Problem;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseJobs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A management Job whose pods cannot be created (a namespace's ResourceQuota, a LimitRange, an
 * admission policy): the Job controller says so only in a FailedCreate Event on the Job, and the
 * Job itself just waits for its deadline. {@link FailedCreateWatch} watches those Events; this
 * reads them, a pure function.
 */
public final class JobCreateFailures {
  private JobCreateFailures() {}

  /**
   * The newest FailedCreate of a Job of the app that runs without a pod: once the Job controller
   * creates one (active), the Job's own update ends the failure.
   */
  public static Optional<Problem> of(List<Job> jobs, Collection<Event> events) {
    for (var job : jobs) {
      var status = job.getStatus();
      boolean podless =
          status == null
              || (Objects.requireNonNullElse(status.getActive(), 0) == 0
                  && Objects.requireNonNullElse(status.getSucceeded(), 0) == 0
                  && Objects.requireNonNullElse(status.getFailed(), 0) == 0);
      if (!podless || ReleaseJobs.state(job).outcome() != Outcome.RUNNING) {
        continue;
      }
      var failure =
          events.stream()
              .filter(e -> job.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
              .max(Comparator.comparing(JobCreateFailures::time))
              .map(
                  e ->
                      new Problem(
                          "FailedCreate",
                          "Job " + job.getMetadata().getName() + ": " + e.getMessage()));
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private static String time(Event event) {
    return Objects.requireNonNullElse(
        event.getLastTimestamp(),
        Objects.requireNonNullElse(
            event.getEventTime() == null ? null : event.getEventTime().getTime(), ""));
  }
}
