package dev.operators.django.chaos;

import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.EventRecorder;
import dev.operators.django.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** The chaos run's invariants, checked from the watches and the audit log, and its figures. */
final class ChaosReport {
  /** What was measured while the faults struck. */
  static final class Figures {
    final List<Duration> killTakeovers = new ArrayList<>();
    Duration bothKilledTakeover;
    OperatorProcess.Termination sigterm;
    Duration sigtermTakeover;
    Duration pauseTakeover;
    Duration pausedExit;
    int pausedExitStatus;
    Duration apiServerOutage;

    /** Kills of kube-apiserver, and its crashes while starting again. */
    int apiServerStops;

    Duration leaderAfterApiServer;
    Duration converged;
    long readyApps;
    final List<OperatorProcess.Termination> shutdowns = new ArrayList<>();
  }

  record Invariant(String name, boolean holds, String detail) {}

  private final ChaosRun.Settings settings;
  private final Figures figures;
  private final History history;
  private final List<DjangoApp> apps;
  private final KubernetesClient admin;
  private final List<Invariant> invariants = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private List<String> twice = List.of();

  /** An app's key Secret, Service, Deployment, migrate Job and a status write. */
  static final int MINIMUM_WRITES_PER_APP = 5;

  ChaosReport(
      ChaosRun.Settings settings,
      Figures figures,
      History history,
      List<DjangoApp> apps,
      KubernetesClient admin) {
    this.settings = settings;
    this.figures = figures;
    this.history = history;
    this.apps = apps;
    this.admin = admin;
  }

  /** Waits (30 s at most) for the Events of the last transitions, recorded after their status. */
  void awaitAnnounced() {
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> unannounced().isEmpty());
    } catch (ConditionTimeoutException e) {
      // Reported as a failed invariant below.
    }
  }

  void finish(AuditLog audit, List<OperatorProcess> replicas) {
    var keys = apps.stream().map(a -> History.key(a, a.getMetadata().getName())).toList();
    var stopped = history.stopped();
    invariants.add(
        new Invariant(
            "the watches saw the whole run",
            stopped.isEmpty(),
            stopped.isEmpty() ? "4 informers running" : "stopped: " + stopped));
    invariants.add(
        new Invariant(
            "every app Ready on the last image",
            figures.readyApps == apps.size(),
            figures.readyApps + " of " + apps.size()));
    migrateJobs(keys, audit);
    keySecrets(keys);
    imagesAfterMigrations(keys);
    var violations = audit.violations();
    // Every app's key Secret, Service, Deployment and migrate Job are created by a replica, and
    // its status written: five writes per app at the least. Each kill or crash of the API server
    // can cut the audit line it was writing.
    var doubts = audit.doubts(MINIMUM_WRITES_PER_APP * apps.size(), figures.apiServerStops);
    invariants.add(
        new Invariant(
            "no write accepted from a replica that did not hold the Lease" + " (audit log)",
            violations.isEmpty() && doubts.isEmpty(),
            violations.size()
                + " such writes"
                + (violations.isEmpty()
                    ? ""
                    : ", first " + violations.subList(0, Math.min(5, violations.size())))
                + (doubts.isEmpty() ? "" : "; the log cannot vouch for it: " + doubts)
                + "; writes accepted by replica "
                + audit.acceptedWritesByReplica()
                + ", refused "
                + audit.refusedWritesByReplica()
                + "; Lease writes by replica "
                + audit.leaseWritesByReplica()
                + "; writes of "
                + Fleet.USER
                + " naming no replica: "
                + audit.unattributedWrites()
                + "; unparseable lines: "
                + audit.unparseableLines()
                + " (at most "
                + figures.apiServerStops
                + "); files read: "
                + audit.files().size()));
    var missing = unannounced();
    invariants.add(
        new Invariant(
            "every Ready transition announced by exactly one Event",
            missing.isEmpty() && twice.isEmpty(),
            readyTransitions()
                + " transitions, "
                + missing.size()
                + " without an Event"
                + (missing.isEmpty() ? "" : ": " + missing.subList(0, Math.min(5, missing.size())))
                + "; announced more than once: "
                + twice.size()
                + (twice.isEmpty() ? "" : ": " + twice.subList(0, Math.min(5, twice.size())))));
    var terminations = new ArrayList<>(figures.shutdowns);
    terminations.add(figures.sigterm);
    boolean clean =
        terminations.stream()
            .allMatch(t -> t.exitStatus() == 0 && t.took().compareTo(ChaosRun.SHUTDOWN_BOUND) <= 0);
    invariants.add(
        new Invariant(
            "every SIGTERM ended its replica with status 0 within "
                + ChaosRun.SHUTDOWN_BOUND.toSeconds()
                + " s",
            clean,
            terminations.stream()
                .map(t -> t.exitStatus() + " in " + t.took().toMillis() + " ms")
                .toList()
                .toString()));
    figures(replicas);
  }

  private void migrateJobs(List<String> keys, AuditLog audit) {
    var perPair =
        history.migrateJobs.values().stream()
            .collect(Collectors.groupingBy(j -> j.app() + " " + j.image(), Collectors.counting()));
    long duplicated = perPair.values().stream().filter(c -> c > 1).count();
    long withoutLastImage =
        keys.stream().filter(k -> !perPair.containsKey(k + " " + ChaosRun.IMAGE_2)).count();
    var createdTwice =
        audit.jobCreates().entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .toList();
    invariants.add(
        new Invariant(
            "exactly one migrate Job per (app, image)",
            duplicated == 0 && withoutLastImage == 0 && createdTwice.isEmpty(),
            perPair.size()
                + " (app, image) pairs, "
                + history.migrateJobs.size()
                + " migrate Jobs seen by the watch; pairs with more than one: "
                + duplicated
                + "; apps without a Job for the last image: "
                + withoutLastImage
                + "; Job names created twice (audit log): "
                + createdTwice.size()));
  }

  private void keySecrets(List<String> keys) {
    long changed =
        keys.stream()
            .map(k -> k + "-secret-key")
            .filter(
                k ->
                    history.keySecretUids.getOrDefault(k, Set.of()).size() != 1
                        || history.keySecretData.getOrDefault(k, Set.of()).size() != 1)
            .count();
    invariants.add(
        new Invariant(
            "every generated key Secret kept its uid and data",
            changed == 0,
            keys.size() + " Secrets, " + changed + " missing, recreated or changed"));
  }

  private void imagesAfterMigrations(List<String> keys) {
    int checked = 0;
    var early = new ArrayList<String>();
    for (var key : keys) {
      for (var image : history.deploymentImages.getOrDefault(key, Map.of()).entrySet()) {
        checked++;
        long migrated =
            history.migrateJobs.values().stream()
                .filter(j -> j.app().equals(key) && j.image().equals(image.getKey()))
                .mapToLong(History.MigrateJob::completedAt)
                .min()
                .orElse(Long.MAX_VALUE);
        if (image.getValue() < migrated) {
          early.add(key + " " + image.getKey());
        }
      }
    }
    invariants.add(
        new Invariant(
            "no Deployment ran an image before its migrate Job succeeded",
            early.isEmpty(),
            checked
                + " (app, image) pairs checked by etcd revision, "
                + early.size()
                + " early"
                + (early.isEmpty() ? "" : ": " + early)));
  }

  private int readyTransitions() {
    return history.readySince.values().stream().mapToInt(Set::size).sum();
  }

  /** Ready transitions (app and lastTransitionTime) with no Ready Event recorded since. */
  private List<String> unannounced() {
    var readyEvents = new HashMap<String, List<Instant>>();
    for (var ns : apps.stream().map(a -> a.getMetadata().getNamespace()).distinct().toList()) {
      for (Event event : admin.v1().events().inNamespace(ns).list().getItems()) {
        if ("Ready".equals(event.getReason())
            && EventRecorder.COMPONENT.equals(event.getReportingComponent())) {
          readyEvents
              .computeIfAbsent(
                  ns + "/" + event.getInvolvedObject().getName(), k -> new ArrayList<>())
              .add(Instant.parse(event.getLastTimestamp()));
        }
      }
    }
    var missing = new ArrayList<String>();
    var twice = new ArrayList<String>();
    history.readySince.forEach(
        (app, since) -> {
          var transitions = since.stream().map(Instant::parse).sorted().toList();
          for (int i = 0; i < transitions.size(); i++) {
            var from = transitions.get(i);
            var to = i + 1 < transitions.size() ? transitions.get(i + 1) : Instant.MAX;
            var announced =
                readyEvents.getOrDefault(app, List.of()).stream()
                    .filter(t -> !t.isBefore(from) && t.isBefore(to))
                    .sorted()
                    .toList();
            if (announced.isEmpty()) {
              missing.add(app + " Ready since " + from);
            }
            if (announced.size() > 1) {
              twice.add(app + " Ready since " + from + ", Events at " + announced);
            }
          }
        });
    this.twice = twice;
    return missing;
  }

  private void figures(List<OperatorProcess> replicas) {
    var takeovers = figures.killTakeovers.stream().map(Duration::toMillis).sorted().toList();
    lines.add(
        String.format(
            "takeover after kill -9 of the leader (%d kills): %s ms; min %d,"
                + " median %d, max %d ms (Lease 15 s)",
            takeovers.size(),
            takeovers,
            takeovers.get(0),
            takeovers.get(takeovers.size() / 2),
            takeovers.get(takeovers.size() - 1)));
    if (figures.bothKilledTakeover != null) {
      lines.add(
          "takeover after kill -9 of both replicas (new processes): "
              + figures.bothKilledTakeover.toMillis()
              + " ms");
    }
    lines.add(
        "SIGTERM of the leader: exit status "
            + figures.sigterm.exitStatus()
            + " after "
            + figures.sigterm.took().toMillis()
            + " ms; the standby led "
            + figures.sigtermTakeover.toMillis()
            + " ms after the signal");
    lines.add(
        "SIGSTOP of the leader for "
            + settings.pause().toSeconds()
            + " s: the standby led "
            + figures.pauseTakeover.toMillis()
            + " ms after SIGSTOP; after SIGCONT the old leader"
            + " exited with status "
            + figures.pausedExitStatus
            + " in "
            + figures.pausedExit.toMillis()
            + " ms; writes stopped by a replica's fence over the run: "
            + count(replicas, "cannot prove it holds the Lease"));
    lines.add(
        "kube-apiserver killed and restarted"
            + (figures.apiServerStops > 1
                ? " (it crashed " + (figures.apiServerStops - 1) + " times while starting)"
                : "")
            + ": "
            + figures.apiServerOutage.toMillis()
            + " ms without it; a replica led "
            + figures.leaderAfterApiServer.toMillis()
            + " ms after the kill");
    lines.add(
        "all "
            + apps.size()
            + " apps Ready on "
            + ChaosRun.IMAGE_2
            + " "
            + figures.converged.toSeconds()
            + " s after the first replica started; announcements"
            + " made late for a crashed leader: "
            + count(replicas, "announced late"));
  }

  private static long count(List<OperatorProcess> replicas, String text) {
    return replicas.stream().flatMap(r -> r.log().lines()).filter(l -> l.contains(text)).count();
  }

  Figures figures() {
    return figures;
  }

  boolean holds() {
    return invariants.stream().allMatch(Invariant::holds);
  }

  List<Invariant> invariants() {
    return invariants;
  }

  String text() {
    var out = new StringBuilder();
    out.append(
        String.format(
            "chaos run: %d apps in %d namespaces, %d kills, seed %d%n",
            settings.apps(), settings.namespaces(), settings.kills(), settings.seed()));
    invariants.forEach(
        i ->
            out.append(
                String.format("  [%s] %s: %s%n", i.holds() ? "ok" : "FAIL", i.name(), i.detail())));
    lines.forEach(l -> out.append("  ").append(l).append('\n'));
    return out.toString();
  }
}
