package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Announcements.Announcement;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announcements that a crashed process owed: a transition is announced just after its status is
 * written, so a process killed between the two leaves a status whose Event was never recorded, and
 * the next process sees no transition. The first time this process looks at an app, the
 * announcements of its current conditions are compared with the app's Events (one list, served from
 * the API server's cache): one without an Event of its reason recorded at or after the condition's
 * lastTransitionTime is recorded now. Transitions older than the API server's Event time-to-live
 * (one hour by default) are not looked at, since their Events may have expired. Later transitions
 * are announced by this process itself, after its own status writes. An Event this process could
 * not record, and a reconcile that failed after its status write (whose answer may have been lost
 * while the write was committed), make it look again ({@link #lookAgain}).
 */
final class MissedAnnouncements {
  private static final Logger log = LoggerFactory.getLogger(MissedAnnouncements.class);
  static final Duration EVENT_TTL = Duration.ofHours(1);

  private final Set<String> looked = ConcurrentHashMap.newKeySet();
  private final Set<String> owed = ConcurrentHashMap.newKeySet();
  private final Clock clock;

  MissedAnnouncements(Clock clock) {
    this.clock = clock;
  }

  /** The next reconcile compares this app's conditions with its Events again. */
  void lookAgain(DjangoApp app) {
    looked.remove(app.getMetadata().getUid());
    owed.add(app.getMetadata().getUid());
  }

  /** Whether this app may owe Events that no later comparison has settled yet. */
  boolean owed(DjangoApp app) {
    return owed.contains(app.getMetadata().getUid());
  }

  List<Announcement> of(DjangoApp app, KubernetesClient client) {
    var uid = app.getMetadata().getUid();
    if (app.getStatus() == null
        || app.getStatus().conditions == null
        || app.getStatus().conditions.isEmpty()) {
      owed.remove(uid);
      return List.of();
    }
    if (!looked.add(uid)) {
      return List.of();
    }
    var horizon = clock.instant().minus(EVENT_TTL);
    var recent =
        Announcements.of(List.of(), app.getStatus()).stream()
            .filter(a -> a.since() != null && Instant.parse(a.since()).isAfter(horizon))
            .toList();
    if (recent.isEmpty()) {
      owed.remove(uid);
      return List.of();
    }
    List<Event> events;
    try {
      events =
          client
              .v1()
              .events()
              .inNamespace(app.getMetadata().getNamespace())
              .withField("involvedObject.uid", app.getMetadata().getUid())
              .list(new ListOptionsBuilder().withResourceVersion("0").build())
              .getItems();
    } catch (KubernetesClientException e) {
      // Events are best effort; the next reconcile looks again.
      looked.remove(uid);
      owed.add(uid);
      log.debug(
          "{}/{}: Events not listed ({})",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          e.getCode());
      return List.of();
    }
    owed.remove(uid);
    var missed = recent.stream().filter(a -> !recorded(a, events)).toList();
    if (!missed.isEmpty()) {
      log.info(
          "{}/{}: {} announced late: the process that wrote the status did not record it",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          missed.stream().map(Announcement::reason).toList());
    }
    return missed;
  }

  static boolean recorded(Announcement announcement, List<Event> events) {
    var since = Instant.parse(announcement.since());
    return events.stream()
        .anyMatch(
            e ->
                announcement.reason().equals(e.getReason())
                    && EventRecorder.COMPONENT.equals(e.getReportingComponent())
                    && e.getLastTimestamp() != null
                    && !Instant.parse(e.getLastTimestamp()).isBefore(since));
  }
}
