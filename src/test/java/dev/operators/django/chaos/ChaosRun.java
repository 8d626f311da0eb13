package dev.operators.django.chaos;

import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.OperatorProcess;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.ServiceAccountKubeconfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The experiment: two operator replicas with leader election, N apps with migrations in a few
 * namespaces, and while they converge and roll out to a second image: K {@code kill -9}s of the
 * leader at random moments (one of them of both replicas), a SIGTERM of the leader, a SIGSTOP of
 * the leader longer than the Lease (just after every app was scaled, so that it sleeps in the
 * middle of writes), and a kill and restart of kube-apiserver. Dead replicas are replaced by new
 * processes, as a Deployment replaces pods. The figures are taken as it runs; the invariants are
 * checked afterwards by {@link ChaosReport} from the watches and the audit log.
 */
final class ChaosRun {
  private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
  static final String IMAGE_1 = "registry.test/polls:1.0.0";
  static final String IMAGE_2 = "registry.test/polls:2.0.0";

  /** How long a replica may take from SIGTERM to exit before the run fails (README). */
  static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(10);

  /**
   * How long the run waits for a leader before it gives up: a figure, not an invariant (ChaosIT
   * bounds the takeovers). On a machine that other builds load heavily (load 50 on 2 cores) a kill
   * -9 takeover took 56 s, and one took longer than 60 s.
   */
  private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(150);

  record Settings(
      int apps,
      int namespaces,
      int kills,
      long seed,
      Duration pause,
      Duration apiServerDown,
      Duration convergenceTimeout) {}

  private final LocalControlPlane plane;
  private final KubernetesClient admin;
  private final Settings settings;
  private final Random random;
  private final ChaosReport.Figures figures = new ChaosReport.Figures();

  ChaosRun(LocalControlPlane plane, KubernetesClient admin, Settings settings) {
    this.plane = plane;
    this.admin = admin;
    this.settings = settings;
    this.random = new Random(settings.seed());
  }

  ChaosReport run() throws Exception {
    OperatorExtension.installCrd(plane);
    Kubectl.run(
        plane,
        "apply",
        "--server-side",
        "-f",
        "deploy/00-namespace.yaml",
        "-f",
        "deploy/10-rbac.yaml");
    var kubeconfig =
        ServiceAccountKubeconfig.of(plane, admin, Fleet.NAMESPACE, Fleet.SERVICE_ACCOUNT);
    var namespaces = IntStream.range(0, settings.namespaces()).mapToObj(i -> "chaos-" + i).toList();
    for (var ns : namespaces) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      Polls.createSecrets(admin.adapt(NamespacedKubernetesClient.class).inNamespace(ns));
    }
    var apps =
        IntStream.range(0, settings.apps())
            .mapToObj(i -> app(namespaces.get(i % namespaces.size()), "app-" + i))
            .toList();
    var env =
        Map.of(
            "LEADER_ELECTION",
            "true",
            "LEADER_ELECTION_NAMESPACE",
            Fleet.NAMESPACE,
            "LOG_FORMAT",
            "text");
    long started = System.nanoTime();
    try (var history = new History(admin);
        var fleet = new Fleet(admin, kubeconfig, env)) {
      fleet.start();
      fleet.awaitLeader(TAKEOVER_TIMEOUT);
      fleet.start();
      inParallel(
          apps.stream().<Callable<Object>>map(a -> () -> admin.resource(a).create()).toList());
      int rolloutAt = Math.max(1, settings.kills() / 3);
      int bothAt = Math.max(1, 2 * settings.kills() / 3);
      for (int kill = 1; kill <= settings.kills(); kill++) {
        atARandomMoment();
        if (kill == rolloutAt) {
          rollout(apps);
        }
        if (kill == bothAt) {
          killBoth(fleet);
        } else {
          killLeader(fleet);
        }
      }
      terminateLeader(fleet);
      pauseLeader(fleet, apps);
      restartApiServer(fleet);
      awaitConverged(apps);
      figures.converged = Duration.ofNanos(System.nanoTime() - started);
      var report = new ChaosReport(settings, figures, history, apps, admin);
      report.awaitAnnounced();
      for (var replica : fleet.live()) {
        var termination = replica.terminate(SHUTDOWN_BOUND);
        if (termination.exitStatus() != 0 && replica.log().contains("lost the Lease")) {
          // The API server's restart cost this leader its Lease just before the signal: it had
          // already exited, as it must (status 1), and the SIGTERM found it gone.
          log.info("{} had lost the Lease and exited before the final SIGTERM", replica.name());
          continue;
        }
        figures.shutdowns.add(termination);
      }
      report.finish(AuditLog.read(plane.auditLog(), Fleet.USER), fleet.all());
      return report;
    }
  }

  private DjangoApp app(String namespace, String name) {
    var app = Polls.app(admin);
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(namespace);
    app.getSpec().image = IMAGE_1;
    app.getSpec().replicas = 1;
    app.getSpec().ingress = null;
    app.getSpec().staticFiles = null; // migrations only: one Job per (app, image)
    return app;
  }

  private void rollout(List<DjangoApp> apps) throws Exception {
    log.info("chaos: rolling {} apps out to {}", apps.size(), IMAGE_2);
    // A merge patch of the image alone: the operator writes the status meanwhile, so an edit
    // conditional on the version read would be refused now and then.
    var patch = "{\"spec\":{\"image\":\"" + IMAGE_2 + "\"}}";
    inParallel(
        apps.stream()
            .<Callable<Object>>map(
                a ->
                    () ->
                        admin
                            .resources(DjangoApp.class)
                            .inNamespace(a.getMetadata().getNamespace())
                            .withName(a.getMetadata().getName())
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch))
            .toList());
  }

  private void scale(List<DjangoApp> apps, int replicas) throws Exception {
    var patch = "{\"spec\":{\"replicas\":" + replicas + "}}";
    inParallel(
        apps.stream()
            .<Callable<Object>>map(
                a ->
                    () ->
                        admin
                            .resources(DjangoApp.class)
                            .inNamespace(a.getMetadata().getNamespace())
                            .withName(a.getMetadata().getName())
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch))
            .toList());
  }

  private void killLeader(Fleet fleet) {
    var leader = fleet.awaitLeader(TAKEOVER_TIMEOUT);
    long killed = System.nanoTime();
    leader.kill();
    var takeover = fleet.awaitTakeoverFrom(leader.name(), killed, TAKEOVER_TIMEOUT);
    figures.killTakeovers.add(takeover);
    log.info(
        "chaos: kill -9 of leader {}, standby leads after {} ms",
        leader.name(),
        takeover.toMillis());
    fleet.replaceEnded();
  }

  private void killBoth(Fleet fleet) {
    var leader = fleet.awaitLeader(TAKEOVER_TIMEOUT);
    long killed = System.nanoTime();
    fleet.live().forEach(OperatorProcess::kill);
    fleet.replaceEnded();
    var takeover = fleet.awaitTakeoverFrom(leader.name(), killed, TAKEOVER_TIMEOUT);
    figures.bothKilledTakeover = takeover;
    log.info("chaos: kill -9 of both replicas, a new one leads after {} ms", takeover.toMillis());
  }

  private void terminateLeader(Fleet fleet) {
    atARandomMoment();
    var leader = fleet.awaitLeader(TAKEOVER_TIMEOUT);
    // The standby is timed from the signal: the leader's exit is awaited beside it, not first.
    long signalled = System.nanoTime();
    var exit = CompletableFuture.supplyAsync(() -> leader.terminate(SHUTDOWN_BOUND));
    figures.sigtermTakeover = fleet.awaitTakeoverFrom(leader.name(), signalled, TAKEOVER_TIMEOUT);
    var termination = exit.join();
    figures.sigterm = termination;
    log.info(
        "chaos: SIGTERM of leader {}: exit status {} after {} ms, standby leads after {} ms",
        leader.name(),
        termination.exitStatus(),
        termination.took().toMillis(),
        figures.sigtermTakeover.toMillis());
    fleet.replaceEnded();
  }

  /**
   * SIGSTOP of the leader for longer than the Lease: the standby takes over, and on SIGCONT the old
   * leader must find its fence closed, write nothing, and exit.
   */
  private void pauseLeader(Fleet fleet, List<DjangoApp> apps) throws Exception {
    atARandomMoment();
    var leader = fleet.awaitLeader(TAKEOVER_TIMEOUT);
    // Work in flight: the leader is stopped while its reconcilers write the new replicas and
    // status, and they go on from where they were when it wakes, unless its fence stops them.
    scale(apps, 2);
    long paused = System.nanoTime();
    leader.pause();
    figures.pauseTakeover = fleet.awaitTakeoverFrom(leader.name(), paused, TAKEOVER_TIMEOUT);
    await()
        .atMost(settings.pause().plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.nanoTime() - paused >= settings.pause().toNanos());
    long resumed = System.nanoTime();
    leader.resume();
    await().atMost(Duration.ofSeconds(30)).until(() -> !leader.isAlive());
    figures.pausedExit = Duration.ofNanos(System.nanoTime() - resumed);
    figures.pausedExitStatus = leader.exitStatus();
    log.info(
        "chaos: SIGSTOP of leader {} for {} s: standby leads after {} ms; after SIGCONT the"
            + " old leader exited with status {} in {} ms",
        leader.name(),
        settings.pause().toSeconds(),
        figures.pauseTakeover.toMillis(),
        figures.pausedExitStatus,
        figures.pausedExit.toMillis());
    fleet.replaceEnded();
  }

  private void restartApiServer(Fleet fleet) {
    atARandomMoment();
    long killed = System.nanoTime();
    plane.killApiServer();
    figures.apiServerStops++;
    await()
        .atMost(settings.apiServerDown().plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.nanoTime() - killed >= settings.apiServerDown().toNanos());
    // A start that crashed is one more stop that can cut an audit line.
    figures.apiServerStops += plane.restartApiServer() - 1;
    figures.apiServerOutage = Duration.ofNanos(System.nanoTime() - killed);
    fleet.awaitLeader(TAKEOVER_TIMEOUT);
    figures.leaderAfterApiServer = Duration.ofNanos(System.nanoTime() - killed);
    log.info(
        "chaos: kube-apiserver killed and restarted, {} ms without it; a replica leads {} ms"
            + " after the kill",
        figures.apiServerOutage.toMillis(),
        figures.leaderAfterApiServer.toMillis());
    fleet.replaceEnded();
  }

  /** Waits for every app to be Ready on the last image; a timeout is reported, not thrown. */
  private void awaitConverged(List<DjangoApp> apps) {
    try {
      await()
          .atMost(settings.convergenceTimeout())
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .until(() -> readyOnTheLastImage() == apps.size());
    } catch (ConditionTimeoutException e) {
      log.error(
          "chaos: not every app was Ready on {} after {}", IMAGE_2, settings.convergenceTimeout());
    }
    figures.readyApps = readyOnTheLastImage();
  }

  private long readyOnTheLastImage() {
    return admin.resources(DjangoApp.class).inAnyNamespace().list().getItems().stream()
        .filter(ChaosRun::readyOnTheLastImage)
        .count();
  }

  private static boolean readyOnTheLastImage(DjangoApp current) {
    return current.getStatus() != null
        && Conditions.isTrue(current.getStatus().conditions, Conditions.READY)
        && IMAGE_2.equals(current.getStatus().image)
        && current.getMetadata().getGeneration().equals(current.getStatus().observedGeneration);
  }

  /**
   * The faults strike at random moments, 2 to 10 s after the previous one recovered. This wait is
   * the experiment's schedule, not a synchronisation with anything.
   */
  private void atARandomMoment() {
    long waitMillis = 2_000 + random.nextInt(8_000);
    long until = System.nanoTime() + waitMillis * 1_000_000;
    await()
        .atMost(Duration.ofMillis(waitMillis + 5_000))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.nanoTime() >= until);
  }

  private static void inParallel(List<Callable<Object>> tasks) throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    try {
      for (var result : pool.invokeAll(tasks)) {
        result.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
