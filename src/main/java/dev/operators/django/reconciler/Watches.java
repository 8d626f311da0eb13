package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostWatch;
import dev.operators.django.hosts.IngressClassWatch;
import dev.operators.django.references.ReferenceWatch;
import dev.operators.django.release.JobWatch;
import dev.operators.django.status.FailedCreateWatch;
import dev.operators.django.status.PodWatch;
import dev.operators.django.status.ScheduleJobWatch;
import dev.operators.django.tls.CertificateWatch;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Every watch the reconcile reads besides the children's own (each dependent registers its
 * informer): one {@code *Watch} per concern, each built through {@code kube/Informers}.
 */
final class Watches {
  private Watches() {}

  static List<EventSource<?, DjangoApp>> of(
      EventSourceContext<DjangoApp> context,
      OperatorSettings settings,
      ReferenceWatch references,
      CertificateWatch certificates) {
    var sources = new ArrayList<EventSource<?, DjangoApp>>(references.eventSources(context));
    sources.add(certificates.tlsSecrets(context));
    sources.add(JobWatch.eventSource(context));
    sources.add(PodWatch.eventSource(context));
    sources.add(FailedCreateWatch.eventSource(context));
    sources.add(new HostWatch(context, settings.watchNamespaces()));
    sources.add(new IngressClassWatch(context.getClient(), context.getPrimaryCache()));
    sources.add(ScheduleJobWatch.eventSource(context));
    return sources;
  }
}
