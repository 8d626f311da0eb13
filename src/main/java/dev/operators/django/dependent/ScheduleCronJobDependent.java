package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ScheduleSpec;
import dev.operators.django.workload.DjangoContainer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CronJob per schedule. Its runs use the image the release gate lets the web run (the migrated
 * one) and the web's environment. Concurrent runs are forbidden unless the spec allows them.
 *
 * <p>The Jobs carry the operator's labels, so that their outcome is watched (status.schedules);
 * their pods do not carry managed-by: a failed run is reported as an Event, and the app's own pod
 * failures (which make it Stalled) are those of the web and the processes.
 */
public class ScheduleCronJobDependent extends BulkChildDependent<CronJob> {
  public static final String NAME = "schedules";
  static final long DEFAULT_STARTING_DEADLINE = 300;
  static final int DEFAULT_HISTORY = 3;
  static final long DEFAULT_ACTIVE_DEADLINE = 3600;

  public ScheduleCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected Map<String, CronJob> desiredByName(DjangoApp app, Context<DjangoApp> context) {
    return build(app, AppInputs.from(context));
  }

  static Map<String, CronJob> build(DjangoApp app, AppInputs inputs) {
    var image = inputs.webImage().orElseThrow(); // gated: DeploymentReleased
    var out = new LinkedHashMap<String, CronJob>();
    for (var schedule : schedules(app)) {
      var name = DjangoAppResources.schedule(app, schedule.name);
      var labels = DjangoAppResources.labels(app, DjangoAppResources.SCHEDULE);
      labels.put(DjangoAppResources.SCHEDULE_LABEL, schedule.name);
      var podLabels = DjangoAppResources.selector(app, DjangoAppResources.SCHEDULE);
      podLabels.put(DjangoAppResources.LABEL_PART_OF, app.getMetadata().getName());
      podLabels.put(DjangoAppResources.SCHEDULE_LABEL, schedule.name);
      var container =
          new ContainerBuilder(DjangoContainer.container(app, inputs.references()))
              .withImage(image)
              .withCommand(schedule.command)
              .withArgs(schedule.args);
      if (schedule.resources != null) {
        container.withResources(schedule.resources);
      }
      out.put(
          name,
          new CronJobBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(app.getMetadata().getNamespace())
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withSchedule(schedule.schedule)
              .withTimeZone(schedule.timeZone)
              .withConcurrencyPolicy(
                  (schedule.concurrencyPolicy != null
                          ? schedule.concurrencyPolicy
                          : ScheduleSpec.ConcurrencyPolicy.Forbid)
                      .name())
              .withSuspend(schedule.suspend)
              .withStartingDeadlineSeconds(
                  schedule.startingDeadlineSeconds != null
                      ? schedule.startingDeadlineSeconds
                      : DEFAULT_STARTING_DEADLINE)
              .withSuccessfulJobsHistoryLimit(
                  schedule.successfulJobsHistoryLimit != null
                      ? schedule.successfulJobsHistoryLimit
                      : DEFAULT_HISTORY)
              .withFailedJobsHistoryLimit(
                  schedule.failedJobsHistoryLimit != null
                      ? schedule.failedJobsHistoryLimit
                      : DEFAULT_HISTORY)
              .withNewJobTemplate()
              .withNewMetadata()
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withBackoffLimit(schedule.backoffLimit != null ? schedule.backoffLimit : 0)
              .withActiveDeadlineSeconds(
                  schedule.activeDeadlineSeconds != null
                      ? schedule.activeDeadlineSeconds
                      : DEFAULT_ACTIVE_DEADLINE)
              .withNewTemplate()
              .withNewMetadata()
              .withLabels(podLabels)
              .endMetadata()
              .withNewSpec()
              .withContainers(container.build())
              .withRestartPolicy("Never")
              .withSecurityContext(DjangoContainer.podSecurityContext(app))
              .withEnableServiceLinks(false)
              .withAutomountServiceAccountToken(false)
              .endSpec()
              .endTemplate()
              .endSpec()
              .endJobTemplate()
              .endSpec()
              .build());
    }
    return out;
  }

  static List<ScheduleSpec> schedules(DjangoApp app) {
    return app.getSpec().schedules == null ? List.of() : app.getSpec().schedules;
  }

  @Override
  protected List<String> names(DjangoApp app) {
    return schedules(app).stream().map(s -> DjangoAppResources.schedule(app, s.name)).toList();
  }
}
