package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * The Job controller's FailedCreate Events on Jobs, watched, and nothing else: the field selector
 * keeps every other Event of the cluster out of the cache. {@link JobCreateFailures} reads them.
 */
public final class FailedCreateWatch {
  static final String EVENT_SOURCE = "job-create-failures";

  private FailedCreateWatch() {}

  public static InformerEventSource<Event, DjangoApp> eventSource(
      EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(
        Informers.of(
                context,
                Event.class,
                EVENT_SOURCE,
                null,
                event ->
                    DjangoAppResources.appOfJob(event.getInvolvedObject().getName())
                        .map(app -> Set.of(new ResourceID(app, event.getMetadata().getNamespace())))
                        .orElse(Set.of()),
                PrunedItemStore::new)
            .withFieldSelector(
                new FieldSelector(
                    new FieldSelector.Field("involvedObject.kind", "Job"),
                    new FieldSelector.Field("reason", "FailedCreate")))
            .build(),
        context);
  }
}
