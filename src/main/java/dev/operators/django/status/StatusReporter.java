package dev.operators.django.status;

import static dev.operators.django.status.Conditions.READY;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a computed status: Events and log lines for transitions, a status write only when
 * something changed, and a recheck with backoff while the app is stalled.
 *
 * <p>The status is written here rather than by java-operator-sdk's {@code UpdateControl
 * .patchStatus}, which applies the whole app and forgets the answer: the next reconcile, started by
 * a child's event before the watch delivered the write, then read the old status, announced the
 * same transition again and was refused with 409. Here the status alone is applied, on the version
 * it was computed from, and the answer goes to the primary cache, so the next reconcile reads its
 * own write. A transition is announced once its status is written: a status that was refused is
 * computed and announced again by the next reconcile. An announcement lost to a crash between the
 * status write and its Event is made by the next process that looks at the app.
 */
public final class StatusReporter {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventRecorder events;
  private final OperatorSettings settings;
  private final Clock clock;
  private final MissedAnnouncements missed;
  private final Counter promotions;

  public StatusReporter(OperatorSettings settings, MeterRegistry registry, Clock clock) {
    this.events = new EventRecorder(clock);
    this.promotions =
        Counter.builder("django_operator_tls_promotions")
            .description("Certificates moved from the staging to the production issuer")
            .register(registry);
    this.settings = settings;
    this.clock = clock;
    this.missed = new MissedAnnouncements(clock);
  }

  /**
   * Writes the status if it changed and announces what happened: Events owed by an earlier process,
   * the transitions, and a promotion of the certificate. Then picks the recheck.
   */
  public UpdateControl<DjangoApp> report(
      DjangoApp app,
      DjangoAppStatus status,
      Optional<TlsOutcome> tls,
      List<ChildFailure> failures,
      Context<DjangoApp> context) {
    var client = context.getClient();
    boolean recorded = announceAll(app, missed.of(app, client), client);
    if (!unchanged(app.getStatus(), status)) {
      applyStatus(app, status, context);
      recorded &= announceTransitions(app, status, client);
    }
    var promotion = Announcements.promotion(tls, failures);
    if (promotion.isPresent()) {
      recorded &= announce(app, promotion.get(), client);
      promotions.increment();
    }
    if (!recorded) {
      missed.lookAgain(app);
    }
    var control = UpdateControl.<DjangoApp>noUpdate();
    boolean certManagerMissing =
        tls.map(TlsOutcome::decision)
            .filter(d -> d.phase() == IssuerDecision.Phase.Unavailable)
            .isPresent();
    Recheck.after(
            status,
            certManagerMissing,
            missed.owed(app),
            settings.missingReferenceRecheck(),
            settings.resyncInterval(),
            clock.instant())
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * After a failed reconcile. The error itself is retried by java-operator-sdk; a status that
   * cannot be written now is written by that retry, so its failure is only logged.
   */
  public ErrorStatusUpdateControl<DjangoApp> reportError(
      DjangoApp app, DjangoAppStatus status, Context<DjangoApp> context) {
    // A status write whose answer was lost may have been committed: the retry then finds nothing
    // changed and would announce nothing, so it compares the conditions with the Events instead.
    missed.lookAgain(app);
    if (!unchanged(app.getStatus(), status)) {
      try {
        applyStatus(app, status, context);
        announceTransitions(app, status, context.getClient());
      } catch (KubernetesClientException e) {
        log.debug(
            "{}/{}: status not written ({}), the retry writes it",
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            e.getCode());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Server-side apply of the status alone, conditional on the resourceVersion the status was
   * computed from: a status computed from an outdated app is refused with 409 rather than written
   * over a newer one, and java-operator-sdk reconciles again. The answer is put into the primary
   * cache, where it stays until the watch delivers the same version or a later one.
   */
  private static void applyStatus(
      DjangoApp app, DjangoAppStatus status, Context<DjangoApp> context) {
    var written =
        context
            .getClient()
            .resource(statusOnly(app, status))
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(context.getControllerConfiguration().fieldManager())
                    .withForce(true)
                    .build());
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(app), written, app);
  }

  /** What {@link #applyStatus} applies: the app's name, its resourceVersion and the status. */
  public static DjangoApp statusOnly(DjangoApp app, DjangoAppStatus status) {
    var body = new DjangoApp();
    body.setSpec(null);
    body.setMetadata(
        new ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .withResourceVersion(app.getMetadata().getResourceVersion())
            .build());
    body.setStatus(status);
    return body;
  }

  public static DjangoAppStatus withReconcileError(
      DjangoApp app, DjangoAppStatus current, String message, Clock clock) {
    var copy = JSON.convertValue(current, DjangoAppStatus.class);
    long generation = Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L);
    var conditions = new ArrayList<Condition>(copy.conditions);
    conditions.removeIf(c -> READY.equals(c.getType()));
    conditions.add(
        0,
        Conditions.of(
            current.conditions,
            READY,
            false,
            "ReconcileError",
            "Reconciliation failed and will be retried: " + message,
            generation,
            clock));
    copy.conditions = conditions;
    return copy;
  }

  /**
   * Events for the transitions from the app's status to the new one, after any that the process
   * which wrote the app's status owed (see {@link MissedAnnouncements}).
   */
  private boolean announceTransitions(
      DjangoApp app, DjangoAppStatus status, KubernetesClient client) {
    var before = app.getStatus() == null ? List.<Condition>of() : app.getStatus().conditions;
    return announceAll(app, Announcements.of(before, status), client)
        & announceAll(app, ScheduleRuns.announcements(app.getStatus(), status), client);
  }

  /** Records each, even after one failed; whether all were recorded. */
  private boolean announceAll(
      DjangoApp app, List<Announcements.Announcement> announcements, KubernetesClient client) {
    boolean all = true;
    for (var announcement : announcements) {
      all &= announce(app, announcement, client);
    }
    return all;
  }

  private boolean announce(
      DjangoApp app, Announcements.Announcement announcement, KubernetesClient client) {
    return announcement.warning()
        ? events.warning(client, app, announcement.reason(), announcement.message())
        : events.normal(client, app, announcement.reason(), announcement.message());
  }

  static boolean unchanged(DjangoAppStatus before, DjangoAppStatus after) {
    return before != null && JSON.valueToTree(before).equals(JSON.valueToTree(after));
  }
}
