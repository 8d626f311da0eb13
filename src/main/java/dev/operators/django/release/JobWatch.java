package dev.operators.django.release;

import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;
import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;
import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;

/**
 * The app's management Jobs, watched (a finished Job reconciles its app at once) and listed from
 * the cache; {@link ReleaseJobs} reads them.
 */
public final class JobWatch {
  public static final String EVENT_SOURCE = "jobs";
  private static final String SELECTOR =
      MANAGED_SELECTOR
          + ","
          + LABEL_COMPONENT
          + " in ("
          + DjangoAppResources.MIGRATE
          + ","
          + DjangoAppResources.STATIC
          + ","
          + DjangoAppResources.SUPERUSER
          + ")";

  private JobWatch() {}

  public static InformerEventSource<Job, DjangoApp> eventSource(
      EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(
        Informers.of(
                context,
                Job.class,
                EVENT_SOURCE,
                SELECTOR,
                Mappers.fromOwnerReferences(DjangoApp.class),
                PrunedItemStore::new)
            .build(),
        context);
  }

  /** Jobs belonging to this app, from the informer cache. */
  @SuppressWarnings("unchecked")
  public static List<Job> jobs(DjangoApp app, Context<DjangoApp> context) {
    var source =
        (InformerEventSource<Job, DjangoApp>)
            context.eventSourceRetriever().getEventSourceFor(Job.class, EVENT_SOURCE);
    var namespace = app.getMetadata().getNamespace();
    return source
        .list(
            namespace,
            j ->
                namespace.equals(j.getMetadata().getNamespace())
                    && app.getMetadata()
                        .getName()
                        .equals(j.getMetadata().getLabels().get(LABEL_INSTANCE)))
        .toList();
  }
}
