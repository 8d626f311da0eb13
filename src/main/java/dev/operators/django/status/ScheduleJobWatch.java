package dev.operators.django.status;

import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/**
 * The Jobs the schedules' CronJobs create, watched: they are owned by the CronJob, not the app, so
 * they are mapped to the app by its instance label. {@link ScheduleRuns} reads them.
 */
public final class ScheduleJobWatch {
  static final String EVENT_SOURCE = "schedule-jobs";

  private ScheduleJobWatch() {}

  public static InformerEventSource<Job, DjangoApp> eventSource(
      EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(
        Informers.of(
                context,
                Job.class,
                EVENT_SOURCE,
                DjangoAppResources.SCHEDULE_SELECTOR,
                Informers.<Job>byLabel(LABEL_INSTANCE),
                PrunedItemStore::new)
            .build(),
        context);
  }

  /** The schedules' Jobs of the app, from the caches. */
  public static List<Job> jobs(Context<DjangoApp> context) {
    return context
        .getSecondaryResourcesAsStream(Job.class)
        .filter(
            j ->
                j.getMetadata().getLabels() != null
                    && j.getMetadata().getLabels().containsKey(DjangoAppResources.SCHEDULE_LABEL))
        .toList();
  }
}
