package dev.operators.django.reconciler;

import static dev.operators.django.reconciler.Conditions.READY;
import static dev.operators.django.reconciler.Conditions.STALLED;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a computed status: Events and log lines for transitions, a status patch only when
 * something changed, and a recheck with backoff while the app is stalled.
 */
final class StatusReporter {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MIN_RECHECK = Duration.ofSeconds(10);
  /** Ready=False reasons that are normal progress, not problems. */
  private static final java.util.Set<String> PROGRESS = java.util.Set.of("RollingOut", "Migrating");

  private final EventRecorder events;
  private final OperatorSettings settings;
  private final Clock clock;

  StatusReporter(EventRecorder events, OperatorSettings settings, Clock clock) {
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  UpdateControl<DjangoApp> report(DjangoApp app, DjangoAppStatus status,
      KubernetesClient client) {
    announceTransitions(app, status, client);
    UpdateControl<DjangoApp> control;
    if (unchanged(app.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      app.setStatus(status);
      control = UpdateControl.patchStatus(app);
    }
    recheckDelay(status).ifPresent(control::rescheduleAfter);
    return control;
  }

  ErrorStatusUpdateControl<DjangoApp> reportError(DjangoApp app, DjangoAppStatus status,
      KubernetesClient client) {
    announceTransitions(app, status, client);
    if (unchanged(app.getStatus(), status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    app.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(app);
  }

  static DjangoAppStatus withReconcileError(DjangoApp app, DjangoAppStatus current,
      String message, Clock clock) {
    var copy = JSON.convertValue(current, DjangoAppStatus.class);
    long generation = Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L);
    var conditions = new ArrayList<Condition>(copy.conditions);
    conditions.removeIf(c -> READY.equals(c.getType()));
    conditions.add(0, Conditions.of(current.conditions, READY, false, "ReconcileError",
        "Reconciliation failed and will be retried: " + message, generation, clock));
    copy.conditions = conditions;
    return copy;
  }

  /** Events for a changed Ready or Stalled condition; a person reads these in kubectl describe. */
  private void announceTransitions(DjangoApp app, DjangoAppStatus status,
      KubernetesClient client) {
    var before = app.getStatus() == null ? List.<Condition>of() : app.getStatus().conditions;
    var ready = Conditions.find(status.conditions, READY).orElseThrow();
    var wasReady = Conditions.find(before, READY);
    if (changed(wasReady, ready)) {
      if ("True".equals(ready.getStatus())) {
        events.normal(client, app, "Ready", ready.getMessage());
      } else if (PROGRESS.contains(ready.getReason())) {
        events.normal(client, app, ready.getReason(), ready.getMessage());
      } else {
        events.warning(client, app, ready.getReason(), ready.getMessage());
      }
    }
    var stalled = Conditions.find(status.conditions, STALLED);
    if (stalled.isPresent() && "True".equals(stalled.get().getStatus())
        && changed(Conditions.find(before, STALLED), stalled.get())
        && !stalled.get().getReason().equals(ready.getReason())) {
      events.warning(client, app, stalled.get().getReason(), stalled.get().getMessage());
    }
    announceCertificate(app, before, status, client);
  }

  private void announceCertificate(DjangoApp app, List<Condition> before, DjangoAppStatus status,
      KubernetesClient client) {
    var certificate = Conditions.find(status.conditions, Conditions.CERTIFICATE_READY);
    if (certificate.isEmpty()
        || !changed(Conditions.find(before, Conditions.CERTIFICATE_READY), certificate.get())) {
      return;
    }
    var condition = certificate.get();
    switch (condition.getReason()) {
      case "Issued" -> events.normal(client, app, "CertificateIssued", condition.getMessage());
      case "AwaitingPromotion" -> events.normal(client, app, "AwaitingPromotion",
          condition.getMessage());
      case "IssuanceFailed", "CertManagerNotInstalled" ->
          events.warning(client, app, condition.getReason(), condition.getMessage());
      default -> { }
    }
  }

  private static boolean changed(Optional<Condition> before, Condition after) {
    return before.isEmpty() || !Objects.equals(before.get().getStatus(), after.getStatus())
        || !Objects.equals(before.get().getReason(), after.getReason());
  }

  /** While stalled, look again after as long as it has been stalled: 10 s, 20 s, ... 5 min. */
  private Optional<Duration> recheckDelay(DjangoAppStatus status) {
    return Conditions.find(status.conditions, STALLED)
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> {
          var since = Duration.between(Instant.parse(c.getLastTransitionTime()), clock.instant());
          var delay = since.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : since;
          return delay.compareTo(settings.missingReferenceRecheck()) > 0
              ? settings.missingReferenceRecheck() : delay;
        });
  }

  static boolean unchanged(DjangoAppStatus before, DjangoAppStatus after) {
    return before != null && JSON.valueToTree(before).equals(JSON.valueToTree(after));
  }
}
