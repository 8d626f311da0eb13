package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on a DjangoApp, shown by {@code kubectl describe djangoapp}. Events are
 * emitted on transitions only, so there is no need to aggregate repeats. A failure to record one is
 * logged and otherwise ignored: Events are best effort.
 */
public class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "django-operator";

  private final Clock clock;

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  /** Whether the Event was recorded (Events are best effort: a failure is only logged). */
  public boolean normal(KubernetesClient client, DjangoApp app, String reason, String message) {
    return record(client, app, "Normal", reason, message);
  }

  /** Whether the Event was recorded. */
  public boolean warning(KubernetesClient client, DjangoApp app, String reason, String message) {
    return record(client, app, "Warning", reason, message);
  }

  private boolean record(
      KubernetesClient client, DjangoApp app, String type, String reason, String message) {
    var meta = app.getMetadata();
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(meta.getName() + ".")
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(app.getApiVersion())
                    .withKind(app.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
      log.info(
          "{}/{}: event {} {}: {}", meta.getNamespace(), meta.getName(), type, reason, message);
      return true;
    } catch (KubernetesClientException e) {
      log.warn(
          "{}/{}: could not record event {}: {}",
          meta.getNamespace(),
          meta.getName(),
          reason,
          e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
      return false;
    }
  }
}
