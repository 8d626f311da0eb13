package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.status.Conditions;
import dev.operators.django.status.ProcessAvailability;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.ComponentProcess;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A singleton process (the Celery beat) never has two pods that could both be running: not through
 * a rollout of a new image, and not when its node stops answering. A pod counts as possibly running
 * from its creation until it is deleted, unless its phase is Succeeded or Failed (a pod marked for
 * deletion still runs until its kubelet confirms it stopped).
 *
 * <p>The test's two kwok nodes take the namespace's pods (PodNodeSelector and
 * PodTolerationRestriction, as for the real node). Each node has a kwok process of its own as its
 * kubelet ({@link LocalControlPlane#startKwokFor}). One node "dies": its kwok is killed, so its
 * heartbeat stops and nothing acts as its kubelet any more; the node lifecycle controller marks it
 * NotReady and taints it, and the taint manager evicts its pods. A cluster administrator's
 * tolerations shorten that eviction from the default 300 s to 10 s; the operator does not own that
 * field and leaves it. The worker (a Deployment of two) is the control: its ReplicaSet replaces the
 * evicted pod at once, while that pod may still run on the lost node. The beat's pod is replaced
 * only once its node is deleted (the documented step for a node that is known to be gone), when the
 * pod garbage collector removes the pods bound to it.
 */
@WithCluster
class SingletonProcessIT {
  private static final Logger log = LoggerFactory.getLogger(SingletonProcessIT.class);
  static final Duration TIMEOUT = Duration.ofSeconds(180);
  static final String LABEL = "django-operator.dev/singleton-test";

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<String> nodes = new ArrayList<>();
  private final Map<String, ComponentProcess> kubelets = new LinkedHashMap<>();
  private KubernetesClient admin;

  @AfterEach
  void cleanUp() {
    watches.forEach(Watch::close);
    kubelets.values().forEach(ComponentProcess::stop);
    nodes.forEach(n -> admin.nodes().withName(n).delete());
  }

  @Test
  void theBeatNeverHasTwoPodsThroughARolloutAndTheLossOfItsNode(
      KubernetesClient client, TestNamespace ns, Cluster cluster) {
    admin = client;
    assertThat(cluster)
        .as("the node loss kills a node's own kwok, which only the local control plane runs")
        .isInstanceOf(LocalControlPlane.class);
    var plane = (LocalControlPlane) cluster;
    var subnet = 1;
    for (var suffix : List.of("a", "b")) {
      // Node names are hostname labels (63 at most): the namespace's random suffix and a letter.
      var name = "singleton-" + ns.name().substring(ns.name().lastIndexOf('-') + 1) + "-" + suffix;
      nodes.add(name);
      kubelets.put(name, plane.startKwokFor(name, "10." + subnet++ + ".0.1/16"));
      createNode(client, name, ns.name());
    }
    client
        .namespaces()
        .withName(ns.name())
        .edit(
            n -> {
              if (n.getMetadata().getAnnotations() == null) {
                n.getMetadata().setAnnotations(new HashMap<>());
              }
              n.getMetadata()
                  .getAnnotations()
                  .put("scheduler.alpha.kubernetes.io/node-selector", LABEL + "=" + ns.name());
              n.getMetadata()
                  .getAnnotations()
                  .put(
                      "scheduler.alpha.kubernetes.io/defaultTolerations",
                      "[{\"key\":\""
                          + LABEL
                          + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
              return n;
            });
    var beat = new Invariant("beat");
    var worker = new Invariant("worker");
    watches.add(client.pods().withLabel(DjangoAppResources.PROCESS_LABEL, "beat").watch(beat));
    watches.add(client.pods().withLabel(DjangoAppResources.PROCESS_LABEL, "worker").watch(worker));

    Polls.createSecrets(client);
    var app = Polls.celery(client);
    app.getSpec().autoscaling = null;
    app.getSpec().replicas = 2;
    client.resource(app).create();
    awaitReady(client, "worker 2/2, beat 1/1");

    // A cluster administrator's tolerations: evict 10 s after the node stops answering.
    var tolerations =
        "{\"spec\":{\"template\":{\"spec\":{\"tolerations\":["
            + toleration("node.kubernetes.io/unreachable")
            + ","
            + toleration("node.kubernetes.io/not-ready")
            + "]}}}}";
    client
        .apps()
        .statefulSets()
        .withName("polls-beat")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), tolerations);
    client
        .apps()
        .deployments()
        .withName("polls-worker")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), tolerations);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(beatPods(client))
                    .singleElement()
                    .satisfies(
                        p ->
                            assertThat(
                                    p.getSpec().getTolerations().stream()
                                        .anyMatch(
                                            t -> Long.valueOf(10).equals(t.getTolerationSeconds())))
                                .isTrue()));
    awaitReady(client, "worker 2/2, beat 1/1");

    // A rollout through the gate: the old beat pod must be gone before the new one exists.
    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().image = ProcessesIT.V2;
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = awaitReady(client, "worker 2/2, beat 1/1").getStatus();
              assertThat(status.processes)
                  .allSatisfy(p -> assertThat(p.image).isEqualTo(ProcessesIT.V2));
            });
    assertThat(
            client
                .apps()
                .statefulSets()
                .withName("polls-beat")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTolerations())
        .as("the administrator's field is left alone")
        .hasSize(2);
    assertThat(beat.created()).as("beat pods created so far").isGreaterThanOrEqualTo(3);

    // The beat's node stops answering. From here on, the worker's count is the node loss's
    // alone (its rollouts surge to three pods by design).
    worker.restart();
    var lost = beatPods(client).get(0).getSpec().getNodeName();
    log.info("killing {}'s kwok: its heartbeat stops and nothing acts as its kubelet", lost);
    kubelets.get(lost).kill();
    var stopped = Instant.now();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                beatPods(client).stream()
                    .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    log.info(
        "beat pod evicted {} s after the heartbeat stopped",
        Duration.between(stopped, Instant.now()).toSeconds());
    // The control: the worker's ReplicaSet replaces its pod on the lost node while that pod may
    // still run (if the worker had one there, as the spread makes likely).
    var workerLost =
        client
            .pods()
            .withLabel(DjangoAppResources.PROCESS_LABEL, "worker")
            .list()
            .getItems()
            .stream()
            .anyMatch(p -> lost.equals(p.getSpec().getNodeName()));
    if (workerLost) {
      await().atMost(TIMEOUT).until(() -> worker.max() > 2);
    }
    // The beat is not replaced while its pod may still run, and the app says so. The watch's
    // record decides (it sees a pod that lived between two polls); the poll says what it saw.
    await("the beat held on the lost node " + lost + " for 20 s")
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(40))
        .failFast(
            "two beat pods possibly running at once after " + lost + " was lost",
            () -> assertThat(beat.violations()).isEmpty())
        .untilAsserted(
            () -> {
              var pods = beatPods(client);
              assertThat(pods)
                  .as(
                      "beat pods after %s was lost (one, still bound there): %s",
                      lost, pods.stream().map(SingletonProcessIT::describe).toList())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(lost));
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
              var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
              // Ready names the web first when its pods on the lost node are unready too.
              assertThat(ready.getStatus()).isEqualTo("False");
              var processes =
                  Conditions.find(status.conditions, ProcessAvailability.PROCESSES_AVAILABLE)
                      .orElseThrow();
              assertThat(processes.getStatus()).isEqualTo("False");
              assertThat(processes.getMessage()).contains("Process beat: 0 of 1 pods ready");
            });

    // The node is known to be gone: deleted, as the StatefulSet documentation advises. The pod
    // garbage collector removes its pods, and only then is the beat started elsewhere.
    client.nodes().withName(lost).delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(beatPods(client))
                  .singleElement()
                  .satisfies(p -> assertThat(p.getSpec().getNodeName()).isNotEqualTo(lost));
              awaitReady(client, "worker 2/2, beat 1/1");
            });

    log.info(
        "beat: {} pods created, at most {} possibly running; worker (2 replicas, {} on the"
            + " lost node): at most {} after the node loss",
        beat.created(),
        beat.max(),
        workerLost ? "one" : "none",
        worker.max());
    assertThat(beat.violations()).as("moments with two beat pods possibly running").isEmpty();
    assertThat(worker.violations()).as("the worker's watch closed").isEmpty();
    assertThat(beat.max()).isEqualTo(1);
    if (workerLost) {
      assertThat(worker.max()).as("the control: a Deployment's pods overlap").isGreaterThan(2);
    }
  }

  private static DjangoApp awaitReady(KubernetesClient client, String processes) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(Polls.awaitReady(client, "polls", TIMEOUT).getStatus().processSummary)
                    .isEqualTo(processes));
    return client.resources(DjangoApp.class).withName("polls").get();
  }

  private static List<Pod> beatPods(KubernetesClient client) {
    return client.pods().withLabel(DjangoAppResources.PROCESS_LABEL, "beat").list().getItems();
  }

  static String describe(Pod pod) {
    return pod.getMetadata().getName()
        + "@"
        + pod.getSpec().getNodeName()
        + " "
        + (pod.getStatus() == null ? null : pod.getStatus().getPhase())
        + (pod.getMetadata().getDeletionTimestamp() == null
            ? ""
            : " deleted at " + pod.getMetadata().getDeletionTimestamp());
  }

  private static String toleration(String key) {
    return "{\"key\":\""
        + key
        + "\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        + "\"tolerationSeconds\":10}";
  }

  /** A node that only its own kwok manages: not annotated for the shared kwok. */
  private static void createNode(KubernetesClient client, String name, String namespace) {
    var capacity =
        Map.of(
            "cpu",
            new Quantity("100"),
            "memory",
            new Quantity("512Gi"),
            "pods",
            new Quantity("1000"));
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .addToLabels("type", "kwok")
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels(LABEL, namespace)
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(LABEL)
                .withValue(namespace)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .endStatus()
                .build())
        .create();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var node = client.nodes().withName(name).get();
              return node.getStatus().getConditions() != null
                  && node.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  /** The pods of one process as the watch reports them, and how many could run at once. */
  static final class Invariant implements Watcher<Pod> {
    private final String process;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile int max;

    Invariant(String process) {
      this.process = process;
    }

    @Override
    public synchronized void eventReceived(Action action, Pod pod) {
      var uid = pod.getMetadata().getUid();
      seen.add(uid);
      if (action == Action.DELETED) {
        pods.remove(uid);
      } else {
        pods.put(uid, pod);
      }
      var running = pods.values().stream().filter(Invariant::possiblyRunning).toList();
      max = Math.max(max, running.size());
      if ("beat".equals(process) && running.size() > 1) {
        violations.add(
            Instant.now()
                + ": "
                + running.size()
                + " beats "
                + running.stream().map(SingletonProcessIT::describe).toList());
      }
    }

    static boolean possiblyRunning(Pod pod) {
      var phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    int max() {
      return max;
    }

    /** Counts the maximum from now on. */
    synchronized void restart() {
      max = (int) pods.values().stream().filter(Invariant::possiblyRunning).count();
    }

    int created() {
      return seen.size();
    }

    List<String> violations() {
      return violations;
    }

    @Override
    public void onClose(WatcherException cause) {
      if (cause != null) {
        violations.add("the watch closed: " + cause.getMessage());
      }
    }
  }
}
