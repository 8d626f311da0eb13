package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.ScheduleStatus;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseJobs;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The schedules' runs ({@link ScheduleJobWatch} watches the Jobs their CronJobs create), reduced to
 * status.schedules by a pure function, and a Warning Event for each run that failed. A failed run
 * does not make the app unready: the web and the processes still serve.
 */
public final class ScheduleRuns {
  static final String FAILED_REASON = "ScheduleFailed";

  private ScheduleRuns() {}

  /** Each schedule of the spec with its CronJob's last schedule time and its latest Job. */
  public static List<ScheduleStatus> of(
      DjangoApp app, Collection<CronJob> cronJobs, Collection<Job> jobs) {
    var schedules = app.getSpec().schedules;
    if (schedules == null || schedules.isEmpty()) {
      return null;
    }
    var out = new ArrayList<ScheduleStatus>();
    for (var schedule : schedules) {
      var status = new ScheduleStatus();
      status.name = schedule.name;
      var cronJobName = DjangoAppResources.schedule(app, schedule.name);
      cronJobs.stream()
          .filter(c -> cronJobName.equals(c.getMetadata().getName()))
          .findFirst()
          .filter(c -> c.getStatus() != null)
          .ifPresent(c -> status.lastScheduleTime = c.getStatus().getLastScheduleTime());
      jobs.stream()
          .filter(
              j ->
                  schedule.name.equals(
                      j.getMetadata().getLabels().get(DjangoAppResources.SCHEDULE_LABEL)))
          .max(
              Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
                  .thenComparing(j -> j.getMetadata().getName()))
          .ifPresent(
              job -> {
                var state = ReleaseJobs.state(job);
                status.lastJob = job.getMetadata().getName();
                status.lastResult =
                    switch (state.outcome()) {
                      case RUNNING -> "Running";
                      case SUCCEEDED -> "Succeeded";
                      case FAILED -> "Failed";
                    };
                if (job.getStatus() != null) {
                  status.lastStartTime = job.getStatus().getStartTime();
                  status.lastCompletionTime = job.getStatus().getCompletionTime();
                }
                if (state.outcome() == Outcome.FAILED) {
                  status.lastFailureMessage = state.reason() + ": " + state.message();
                }
              });
      out.add(status);
    }
    return out;
  }

  /** A Warning for each schedule whose latest run is a failed Job not reported before. */
  static List<Announcements.Announcement> announcements(
      DjangoAppStatus before, DjangoAppStatus after) {
    if (after.schedules == null) {
      return List.of();
    }
    var previous =
        before == null || before.schedules == null ? List.<ScheduleStatus>of() : before.schedules;
    return after.schedules.stream()
        .filter(s -> "Failed".equals(s.lastResult))
        .filter(
            s ->
                previous.stream()
                    .noneMatch(
                        p ->
                            Objects.equals(p.name, s.name)
                                && Objects.equals(p.lastJob, s.lastJob)
                                && "Failed".equals(p.lastResult)))
        .map(
            s ->
                new Announcements.Announcement(
                    true,
                    FAILED_REASON,
                    "Schedule "
                        + s.name
                        + ": Job "
                        + s.lastJob
                        + " failed ("
                        + s.lastFailureMessage
                        + "). See kubectl logs job/"
                        + s.lastJob
                        + ".",
                    s.lastCompletionTime))
        .toList();
  }
}
