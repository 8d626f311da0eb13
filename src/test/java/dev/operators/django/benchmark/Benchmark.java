package dev.operators.django.benchmark;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.dependent.BenchmarkChildren;
import dev.operators.django.reconciler.BenchmarkStatus;
import dev.operators.django.status.EventRecorder;
import dev.operators.django.testing.ControlPlaneBinaries;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.OperatorProcess;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.certmanager.CertManagerCrds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ./mvnw -Pbenchmark}: N DjangoApps on the local control plane with the packaged operator as
 * its own JVM, against the physical limit of the API server taking the same writes directly. Prints
 * a table and writes the same figures to target/benchmark/results.json.
 *
 * <p>Options (system properties): {@code benchmark.sizes} (100,1000), {@code benchmark.parallelism}
 * (50, the operator's reconcile threads), {@code benchmark.steadySeconds} (180), {@code
 * benchmark.jdks} (17,25,25-c1,25-aot,25-aot-c1: 25-c1 is the Jib image's JVM, 25-aot-c1
 * deploy/Dockerfile's), {@code benchmark.starts} (3 starts per JVM), {@code benchmark.jdk17} and
 * {@code benchmark.jdk25} (JDK homes), {@code benchmark.jfr}, {@code benchmark.operatorJvm} (the
 * JVM of the convergence rounds, one of the variants of benchmark.jdks; 25-aot-c1, as the image
 * runs the operator), {@code benchmark.pairs} (3: how many times the largest N is measured, direct
 * apply and then the operator, for the ratio).
 */
public final class Benchmark {
  static final int NAMESPACES = 10;

  /**
   * The JVM a 512Mi container gets from deploy/ and the chart: 75 % of it as heap, and the serial
   * collector, which the JVM picks by itself below 1792 MB of memory.
   */
  static final List<String> CONTAINER_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");

  static final Duration TIMEOUT = Duration.ofMinutes(20);

  /**
   * The JVM of the convergence rounds, as deploy/Dockerfile's image runs the operator: JDK 25 with
   * its AOT cache, C1 only.
   */
  static final String OPERATOR_JVM = System.getProperty("benchmark.operatorJvm", "25-aot-c1");

  /**
   * The apps' shape: web (the five children) or celery (also a worker Deployment, a beat
   * StatefulSet and a schedule's CronJob).
   */
  static final String SHAPE = System.getProperty("benchmark.shape", "web");

  private final LocalControlPlane plane;
  private final KubernetesClient client;

  /**
   * The direct apply's threads: as many as the operator's reconcile threads (java-operator-sdk's
   * default, 50), which also create the DjangoApps.
   */
  private final int parallelism = Integer.getInteger("benchmark.parallelism", 50);

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String> table = new ArrayList<>();

  private Benchmark(LocalControlPlane plane) {
    this.plane = plane;
    this.client = plane.client("default");
  }

  public static void main(String[] args) throws Exception {
    var sizes =
        Arrays.stream(System.getProperty("benchmark.sizes", "100,1000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    var jdks =
        Arrays.stream(
                System.getProperty("benchmark.jdks", "17,25,25-c1,25-aot,25-aot-c1").split(","))
            .map(String::trim)
            .filter(j -> !j.isEmpty() && !j.equals("none"))
            .toList();
    var steady = Duration.ofSeconds(Long.getLong("benchmark.steadySeconds", 180));
    var dir = Files.createDirectories(Path.of("target/benchmark"));
    Files.deleteIfExists(dir.resolve("operator.aot")); // it belongs to the jar just packaged
    var plane =
        LocalControlPlane.start(
            ControlPlaneBinaries.build(), dir.resolve("control-plane").toAbsolutePath());
    try {
      var benchmark = new Benchmark(plane);
      benchmark.run(sizes, jdks, steady);
      benchmark.report(dir.resolve("results.json"));
    } finally {
      plane.close();
    }
  }

  private void run(List<Integer> sizes, List<String> jdks, Duration steady) throws Exception {
    OperatorExtension.installCrd(plane);
    CertManagerCrds.install(client);
    results.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "kubernetes",
            plane.serverVersion(),
            "parallelism",
            parallelism,
            "jvm options",
            CONTAINER_JVM,
            "convergence operator jvm",
            OPERATOR_JVM,
            "app shape",
            SHAPE,
            "children per app",
            childrenPerApp()));

    // 0. The fixed cost of starting, per JVM: one app in the cluster, Ready before the first
    // start, so that every JVM's resync finds it converged (else the first JVM's would count the
    // app's creation as resync writes).
    createNamespaces("startup");
    var startupApp = client.resource(apps("startup", 1).get(0)).create().getMetadata();
    try (var operator =
        startOperator("bench-startup", variantHome(OPERATOR_JVM), jvmOptions(OPERATOR_JVM))) {
      Polls.awaitReady(
          client.adapt(NamespacedKubernetesClient.class).inNamespace(startupApp.getNamespace()),
          startupApp.getName(),
          TIMEOUT);
    }
    for (var jdk : jdks) {
      results.put("jvm " + jdk + ", 1 app", restart(jdk, 1));
    }
    deleteNamespaces("startup");

    // 1. The physical limit: the same children applied directly, with nothing else running; and
    // the floor of any operator: those children beside the N DjangoApps themselves. A first,
    // unreported apply of the largest N warms up the benchmark's client (its JIT) and the API
    // server, so that the first measured size is not also the cold one.
    directApply("warm-up", sizes.get(sizes.size() - 1), false, false);
    deleteNamespaces("warm-up");
    var direct = new LinkedHashMap<Integer, Double>();
    var floor = new LinkedHashMap<Integer, Double>();
    for (int n : sizes) {
      direct.put(n, directApply("direct-" + n, n, false, true));
      deleteNamespaces("direct-" + n);
      floor.put(n, directApply("direct-apps-" + n, n, true, true));
      deleteNamespaces("direct-apps-" + n);
    }

    // 2. The operator, as the image runs it unless told otherwise, from 0 apps to each size.
    var operatorJdk = variantHome(OPERATOR_JVM);
    try (var operator = startOperator("bench-operator", operatorJdk, jvmOptions(OPERATOR_JVM))) {
      awaitReady(operator);
      record("memory at 0 apps", memory(operator, operatorJdk));
      for (int i = 0; i < sizes.size(); i++) {
        int n = sizes.get(i);
        var round = operatorRound(operator, "bench-" + n, n, direct.get(n), floor.get(n), true);
        record("memory at " + n + " apps", memory(operator, operatorJdk));
        results.put("convergence N=" + n, round);
        if (i < sizes.size() - 1) {
          deleteNamespaces("bench-" + n);
        }
      }
      results.put("steady state", steadyState(operator, steady));
    }

    // 3. JVMs: restart with the largest N present; startup, first reconcile, full resync, memory.
    int n = sizes.get(sizes.size() - 1);
    for (var jdk : jdks) {
      results.put("jvm " + jdk + ", " + n + " apps", restart(jdk, n));
    }

    // 4. The ratio at the largest N once more, as pairs: a direct apply and the floor, then a
    // fresh operator that takes the same sizes in the same order as the first one did (its JIT is
    // as warm when it meets the largest N), each until all children. One pair's ratio moves with
    // the machine's noise; the median of the pairs is the figure. The floor's own ratio to the
    // direct apply, measured as warm, is what no operator that reports status can go below.
    @SuppressWarnings("unchecked")
    var first = (Map<String, Object>) results.get("convergence N=" + n);
    var ratios = new ArrayList<Double>(List.of((Double) first.get("ratio to direct apply")));
    var floorRatios =
        new ArrayList<Double>(
            List.of((Double) first.get("ratio to direct apply with the apps and their status")));
    var floorToDirect = new ArrayList<Double>(List.of(floor.get(n) / direct.get(n)));
    int pairs = Integer.getInteger("benchmark.pairs", 3);
    if (pairs > 1) {
      deleteNamespaces("bench-" + n);
    }
    for (int pair = 2; pair <= pairs; pair++) {
      double directSeconds = directApply("direct-" + n + "-pair-" + pair, n, false, true);
      deleteNamespaces("direct-" + n + "-pair-" + pair);
      double floorSeconds = directApply("direct-apps-" + n + "-pair-" + pair, n, true, true);
      deleteNamespaces("direct-apps-" + n + "-pair-" + pair);
      floorToDirect.add(floorSeconds / directSeconds);
      try (var operator =
          startOperator("bench-operator-pair-" + pair, operatorJdk, jvmOptions(OPERATOR_JVM))) {
        awaitReady(operator);
        for (int smaller : sizes.subList(0, sizes.size() - 1)) {
          operatorRound(
              operator,
              "bench-" + smaller + "-pair-" + pair,
              smaller,
              direct.get(smaller),
              floor.get(smaller),
              false);
          deleteNamespaces("bench-" + smaller + "-pair-" + pair);
        }
        var round =
            operatorRound(
                operator, "bench-" + n + "-pair-" + pair, n, directSeconds, floorSeconds, false);
        results.put("convergence N=" + n + ", pair " + pair, round);
        ratios.add((Double) round.get("ratio to direct apply"));
        floorRatios.add((Double) round.get("ratio to direct apply with the apps and their status"));
      }
      deleteNamespaces("bench-" + n + "-pair-" + pair);
    }
    results.put(
        "ratio to direct apply, N=" + n, Map.of("each pair", ratios, "median", median(ratios)));
    results.put(
        "ratio to direct apply with the apps and their status, N=" + n,
        Map.of("each pair", floorRatios, "median", median(floorRatios)));
    results.put(
        "direct apply with the apps and their status to direct apply, N=" + n,
        Map.of("each pair", floorToDirect, "median", median(floorToDirect)));
    table.add(
        String.format(
            "ratio to direct apply at N=%d, %d pairs: %s, median %.2fx",
            n, ratios.size(), times(ratios), median(ratios)));
    table.add(
        String.format(
            "ratio to direct apply with the apps and their status: %s, median"
                + " %.2fx; that floor itself against direct apply: %s, median %.2fx",
            times(floorRatios), median(floorRatios), times(floorToDirect), median(floorToDirect)));
  }

  /** The median; of an even count, the mean of the two middle values. */
  static double median(List<Double> values) {
    var sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static List<String> times(List<Double> ratios) {
    return ratios.stream().map(r -> String.format("%.2fx", r)).toList();
  }

  // --- direct apply ----------------------------------------------------------------------------

  /**
   * The children of N apps applied directly. The same watchers as in the operator rounds observe
   * them, so that both are timed with one instrument (until every child was seen) and the API
   * server carries the same watch load. Returns that time; the time until the last apply call
   * returned is reported beside it.
   *
   * <p>{@code withApps} also creates each DjangoApp just before its children, and then applies the
   * app's first status (no operator runs): the writes that any operator's round contains at the
   * least, since the benchmark's client creates the apps in it too, and an operator must report an
   * app at once (a DjangoApp without status reads as Current to kstatus, so Flux would call it
   * healthy before anything runs).
   */
  private double directApply(String prefix, int n, boolean withApps, boolean report)
      throws Exception {
    createNamespaces(prefix);
    awaitQuiet(prefix);
    var apps = apps(prefix, n);
    var keys =
        apps.stream()
            .map(a -> Convergence.key(a.getMetadata().getNamespace(), a.getMetadata().getName()))
            .toList();
    var objects =
        apps.stream()
            .flatMap(
                app ->
                    Stream.<HasMetadata>concat(
                        withApps ? Stream.of(app) : Stream.empty(),
                        BenchmarkChildren.of(app).stream()))
            .toList();
    try (var convergence = new Convergence(client, childrenPerApp())) {
      var before = apiserverRequests();
      var cpuBefore = cpuByProcess(null);
      long start = System.nanoTime();
      // The apps as the operator rounds create them; the children by server-side apply.
      inParallel(
          objects.stream()
              .map(
                  o ->
                      (Callable<Object>)
                          () ->
                              o instanceof DjangoApp app
                                  ? applyFirstStatus(client.resource(app).create())
                                  : client
                                      .resource(o)
                                      .fieldManager("benchmark")
                                      .forceConflicts()
                                      .serverSideApply())
              .toList());
      double returned = (System.nanoTime() - start) / 1e9;
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> keys.stream().allMatch(k -> convergence.childrenComplete(k) > 0));
      double seen =
          (keys.stream().mapToLong(convergence::childrenComplete).max().orElseThrow() - start)
              / 1e9;
      var cpu = cpuSince(cpuBefore, null);
      var writes = ApiServerMetrics.diff(before, apiserverRequests());
      if (!report) {
        return seen;
      }
      var name =
          (withApps ? "direct apply with the apps and their status" : "direct apply")
              + (prefix.contains("-pair-")
                  ? " (" + prefix.replaceAll(".*-pair-", "pair ") + ")"
                  : "");
      results.put(
          name + " N=" + n,
          Map.of(
              "objects",
              objects.size(),
              "seconds until all seen",
              seen,
              "seconds until all calls returned",
              returned,
              "writes",
              ApiServerMetrics.operatorWrites(writes),
              "cpu s by process",
              cpu));
      table.add(
          String.format(
              "%s, N=%d: %d objects, all seen by the watchers after"
                  + " %.2f s (%.0f objects/s), last call returned after %.2f s; CPU s %s",
              name, n, objects.size(), seen, objects.size() / seen, returned, cpu));
      return seen;
    }
  }

  /** The status alone, as the operator applies an app's first one (before its Deployment runs). */
  private DjangoApp applyFirstStatus(DjangoApp app) {
    return client
        .resource(BenchmarkStatus.firstStatus(app))
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("benchmark")
                .withForce(true)
                .build());
  }

  // --- operator rounds -------------------------------------------------------------------------

  /**
   * N apps created at once, until all have their children and, {@code untilReady}, all are Ready
   * (with the writes, Events and CPU of the whole round); else until all children only.
   */
  private Map<String, Object> operatorRound(
      OperatorProcess operator,
      String prefix,
      int n,
      double directSeconds,
      double floorSeconds,
      boolean untilReady)
      throws Exception {
    createNamespaces(prefix);
    awaitQuiet(prefix);
    var apps = apps(prefix, n);
    try (var convergence = new Convergence(client, childrenPerApp())) {
      var before = apiserverRequests();
      var processCpuBefore = cpuByProcess(operator);
      var reconcilesBefore = reconciles(operator);
      var created = new ConcurrentHashMap<String, Long>();
      long start = System.nanoTime();
      inParallel(
          apps.stream()
              .map(
                  app ->
                      (Callable<Object>)
                          () -> {
                            created.put(
                                Convergence.key(
                                    app.getMetadata().getNamespace(), app.getMetadata().getName()),
                                System.nanoTime());
                            return client.resource(app).create();
                          })
              .toList());
      var keys = List.copyOf(created.keySet());
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> keys.stream().allMatch(k -> convergence.childrenComplete(k) > 0));
      long childrenDone =
          keys.stream().mapToLong(convergence::childrenComplete).max().orElseThrow();
      var childrenCpu = cpuSince(processCpuBefore, operator);
      var childrenReconciles = reconciles(operator) - reconcilesBefore;
      var children =
          keys.stream()
              .mapToDouble(k -> (convergence.childrenComplete(k) - created.get(k)) / 1e9)
              .sorted()
              .toArray();
      var childrenTotal = (childrenDone - start) / 1e9;
      var round = new LinkedHashMap<String, Object>();
      round.put("apps", n);
      round.put("children p50 s", percentile(children, 50));
      round.put("children p99 s", percentile(children, 99));
      round.put("children total s", childrenTotal);
      round.put("direct apply s", directSeconds);
      round.put("ratio to direct apply", childrenTotal / directSeconds);
      round.put("direct apply with the apps and their status s", floorSeconds);
      round.put(
          "ratio to direct apply with the apps and their status", childrenTotal / floorSeconds);
      round.put("reconciles until children", childrenReconciles);
      round.put("cpu s by process until children", childrenCpu);
      if (!untilReady) {
        table.add(
            String.format(
                "operator (%s), N=%d: children p50 %.2f s, p99 %.2f s, all %.2f s"
                    + " (%.2fx direct apply, %.2fx with the apps and their status); %d reconciles; CPU"
                    + " s by process until all children: %s",
                prefix.replaceAll(".*-pair-", "pair "),
                n,
                percentile(children, 50),
                percentile(children, 99),
                childrenTotal,
                childrenTotal / directSeconds,
                childrenTotal / floorSeconds,
                childrenReconciles,
                childrenCpu));
        return round;
      }
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> keys.stream().allMatch(k -> convergence.ready(k) > 0));
      long readyDone = keys.stream().mapToLong(convergence::ready).max().orElseThrow();
      var cpu = cpuSince(processCpuBefore, operator).get("operator");
      var readyReconciles = reconciles(operator) - reconcilesBefore;
      // Let the last status patches land before counting.
      await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
      var diff = ApiServerMetrics.diff(before, apiserverRequests());
      var writes = ApiServerMetrics.operatorWrites(diff);
      var nonPut =
          writes.entrySet().stream()
              .filter(e -> !e.getKey().startsWith("PUT "))
              .mapToLong(Map.Entry::getValue)
              .sum();
      // apiserver_request_total does not say who wrote an Event (the controllers write many),
      // so the operator's own are counted from the Events themselves.
      long events =
          IntStream.range(0, NAMESPACES)
              .mapToLong(
                  k ->
                      client.v1().events().inNamespace(prefix + "-" + k).list().getItems().stream()
                          .filter(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent()))
                          .count())
              .sum();

      var ready =
          keys.stream()
              .mapToDouble(k -> (convergence.ready(k) - created.get(k)) / 1e9)
              .sorted()
              .toArray();
      round.put("ready p50 s", percentile(ready, 50));
      round.put("ready p99 s", percentile(ready, 99));
      round.put("ready total s", (readyDone - start) / 1e9);
      round.put("operator writes", writes);
      round.put("operator writes per app", nonPut / (double) n);
      round.put("operator writes per child", nonPut / ((double) childrenPerApp() * n));
      round.put("operator Events", events);
      round.put(
          "operator writes per child with Events",
          (nonPut + events) / ((double) childrenPerApp() * n));
      round.put("operator cpu s", cpu);
      round.put("reconciles until ready", readyReconciles);
      table.add(
          String.format(
              "operator, N=%d: children p50 %.2f s, p99 %.2f s, all %.2f s"
                  + " (%.2fx direct apply, %.2fx with the apps and their status); Ready p50 %.2f s, p99"
                  + " %.2f s, all %.2f s; %.2f writes per app (%.2f per child), %.1f CPU s",
              n,
              percentile(children, 50),
              percentile(children, 99),
              childrenTotal,
              childrenTotal / directSeconds,
              childrenTotal / floorSeconds,
              percentile(ready, 50),
              percentile(ready, 99),
              (readyDone - start) / 1e9,
              nonPut / (double) n,
              nonPut / ((double) childrenPerApp() * n),
              cpu));
      table.add("  writes by verb and resource (apiserver_request_total): " + writes);
      table.add(
          String.format(
              "  Events recorded by the operator: %d (%.2f writes per child" + " with them)",
              events, (nonPut + events) / ((double) childrenPerApp() * n)));
      table.add(
          String.format(
              "  reconciles: %d until all children, %d until all Ready; CPU s by"
                  + " process until all children: %s",
              childrenReconciles, readyReconciles, childrenCpu));
      return round;
    }
  }

  private Map<String, Object> steadyState(OperatorProcess operator, Duration window)
      throws Exception {
    var before = apiserverRequests();
    var reconcilesBefore = reconciles(operator);
    var cpuBefore = cpuByProcess(operator);
    await().pollDelay(window).atMost(window.plusSeconds(5)).until(() -> true);
    var cpu = cpuSince(cpuBefore, operator).get("operator");
    var diff = ApiServerMetrics.diff(before, apiserverRequests());
    var writes = ApiServerMetrics.operatorWrites(diff);
    var reconciles = reconciles(operator) - reconcilesBefore;
    var reads = ApiServerMetrics.operatorReads(diff);
    table.add(
        String.format(
            "steady state, %d s (resync every 60 s): %d reconciles, writes %s"
                + " (total %d), reads %s, operator %.1f CPU s",
            window.toSeconds(), reconciles, writes, ApiServerMetrics.total(writes), reads, cpu));
    return Map.of(
        "seconds",
        window.toSeconds(),
        "reconciles",
        reconciles,
        "writes",
        writes,
        "reads",
        reads,
        "operator cpu s",
        cpu);
  }

  // --- JVM comparison ------------------------------------------------------------------------

  /**
   * Restarts the operator on one JVM with N apps present: {@code benchmark.starts} times to the
   * first reconcile (the median is reported, the machine's noise is large), the last of them on to
   * a full resync and the memory. "-aot" adds the AOT cache that the image ships, made by the same
   * training command as deploy/Dockerfile; "-c1" adds {@code -XX:TieredStopAtLevel=1}.
   */
  private Map<String, Object> restart(String jdk, int n) throws Exception {
    var home = variantHome(jdk);
    var options = jvmOptions(jdk);
    var starts = new ArrayList<Double>();
    int times = Integer.getInteger("benchmark.starts", 3);
    for (int i = 1; i < times; i++) {
      try (var operator = startOperator("bench-" + jdk + "-start-" + i, home, options)) {
        starts.add(awaitFirstReconcile(operator));
      }
    }
    var before = apiserverRequests();
    try (var operator = startOperator("bench-" + jdk, home, options)) {
      starts.add(awaitFirstReconcile(operator));
      awaitResync(operator, n);
      double resync = (System.currentTimeMillis() - operator.startedAtMillis()) / 1e3;
      await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      var diff = ApiServerMetrics.diff(before, apiserverRequests());
      var memory = memory(operator, home);
      var reads = ApiServerMetrics.operatorReads(diff);
      var writes = ApiServerMetrics.operatorWrites(diff);
      double median = starts.stream().sorted().toList().get((starts.size() - 1) / 2);
      table.add(
          String.format(
              "JDK %s: start to first reconcile %.2f s (median of %s), full resync"
                  + " of %d app(s) %.2f s, writes during it %s, reads %s; RSS %.0f MiB, heap after GC"
                  + " %.1f MiB",
              jdk,
              median,
              starts.stream().map(s -> String.format("%.2f", s)).toList(),
              n,
              resync,
              writes,
              reads,
              memory.get("rss MiB"),
              memory.get("heap after GC MiB")));
      var result = new LinkedHashMap<String, Object>();
      result.put("jvm options", options);
      result.put("start to first reconcile s", median);
      result.put("start to first reconcile, each run s", starts);
      result.put("start to full resync s", resync);
      result.put("writes during resync", writes);
      result.put("reads during resync", reads);
      result.putAll(memory);
      return result;
    }
  }

  /** The JVM options of a variant: "-aot" the image's AOT cache, "-c1" C1 only. */
  private List<String> jvmOptions(String jdk) throws Exception {
    var options = new ArrayList<String>();
    if (jdk.contains("-aot")) {
      options.add("-XX:AOTCache=" + trainAotCache(variantHome(jdk)));
    }
    if (jdk.contains("-c1")) {
      options.add("-XX:TieredStopAtLevel=1");
    }
    return options;
  }

  /**
   * The AOT cache as deploy/Dockerfile makes it: the cluster-less training run. Made once per
   * benchmark run, since it belongs to the jar, not to the cluster.
   */
  private Path trainAotCache(Path jdk) throws Exception {
    var cache = Path.of("target/benchmark/operator.aot").toAbsolutePath();
    if (!Files.exists(cache)) {
      // The heap and collector of the container: a cache made with others is refused.
      var command = new ArrayList<String>(List.of(jdk.resolve("bin/java").toString()));
      command.addAll(CONTAINER_JVM);
      command.addAll(
          List.of(
              "-XX:AOTCacheOutput=" + cache,
              "-cp",
              OperatorProcess.JAR.toAbsolutePath().toString(),
              "dev.operators.django.AotTraining"));
      var training =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(Path.of("target/benchmark/aot-training.log").toFile())
              .start();
      if (!training.waitFor(5, TimeUnit.MINUTES)
          || training.exitValue() != 0
          || !Files.exists(cache)) {
        training.destroyForcibly();
        throw new IllegalStateException(
            "AOT training failed: see target/benchmark/aot-training.log");
      }
    }
    return cache;
  }

  /**
   * Seconds from spawning the JVM to the operator's "first reconcile" log line, by its timestamp:
   * read from the log, so that nothing polls the starting operator.
   */
  private static double awaitFirstReconcile(OperatorProcess operator) {
    var line =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> operator.log().lines().filter(l -> l.contains("first reconcile")).findFirst(),
                Optional::isPresent)
            .orElseThrow();
    var at = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    return (at.toEpochMilli() - operator.startedAtMillis()) / 1e3;
  }

  private void awaitResync(OperatorProcess operator, int n) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> counter(operator, "operator_sdk_reconciliations_success_total") >= n);
  }

  // --- helpers -------------------------------------------------------------------------------

  private OperatorProcess startOperator(String name, Path jdk, List<String> extraOptions) {
    var options = new ArrayList<String>(CONTAINER_JVM);
    options.addAll(extraOptions);
    if (Boolean.getBoolean("benchmark.jfr")) {
      options.add("-XX:FlightRecorderOptions:stackdepth=256"); // reconcile stacks are deep
      options.add(
          "-XX:StartFlightRecording:settings=profile,filename="
              + Path.of("target/benchmark/" + name + ".jfr").toAbsolutePath());
    }
    return OperatorProcess.start(
        plane, name, Map.of("RESYNC_INTERVAL_SECONDS", "60", "LOG_FORMAT", "text"), options, jdk);
  }

  private static void awaitReady(OperatorProcess operator) {
    await().atMost(Duration.ofMinutes(2)).until(() -> operator.get("/readyz") != null);
  }

  private static long reconciles(OperatorProcess operator) {
    return counter(operator, "operator_sdk_reconciliations_started_total");
  }

  private static long counter(OperatorProcess operator, String name) {
    var metrics = operator.get("/metrics");
    if (metrics == null) {
      return 0;
    }
    return Math.round(
        metrics
            .lines()
            .filter(l -> l.startsWith(name + "{"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum());
  }

  /** RSS, and heap used right after a full GC (jcmd GC.run), from the JVM's own metrics. */
  private Map<String, Double> memory(OperatorProcess operator, Path jdk) throws Exception {
    var gc =
        new ProcessBuilder(
                jdk.resolve("bin/jcmd").toString(), Long.toString(operator.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    gc.getInputStream().readAllBytes();
    gc.waitFor();
    var histogram =
        new ProcessBuilder(
                jdk.resolve("bin/jcmd").toString(),
                Long.toString(operator.pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    var lines = new String(histogram.getInputStream().readAllBytes()).lines().toList();
    histogram.waitFor();
    Files.write(
        Path.of(
            "target/benchmark/histogram-"
                + operator.name()
                + "-"
                + System.currentTimeMillis()
                + ".txt"),
        lines.subList(0, Math.min(40, lines.size())));
    // Serial GC leaves some dead space in place (MarkSweepDeadRatio) as filler arrays; the live
    // heap is the histogram's total without them.
    double live = histogramBytes(lines, "Total") - histogramBytes(lines, "FillerElement");
    var heap =
        operator
            .get("/metrics")
            .lines()
            .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    var rss =
        Files.readAllLines(Path.of("/proc", Long.toString(operator.pid()), "status")).stream()
            .filter(l -> l.startsWith("VmRSS:"))
            .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024)
            .sum();
    var memory = new LinkedHashMap<String, Double>();
    memory.put("rss MiB", rss);
    memory.put("heap after GC MiB", heap / (1024 * 1024));
    memory.put("live heap MiB", live / (1024 * 1024));
    return memory;
  }

  private static double histogramBytes(List<String> histogram, String match) {
    // Lines read "Total <count> <bytes>" or "<rank>: <count> <bytes> <class>".
    return histogram.stream()
        .filter(l -> l.contains(match))
        .mapToDouble(l -> Double.parseDouble(l.trim().split("\\s+")[2]))
        .sum();
  }

  private void record(String name, Map<String, Double> memory) {
    results.put(name, memory);
    table.add(
        String.format(
            "%s: RSS %.0f MiB, heap after GC %.1f MiB (live %.1f MiB)",
            name,
            memory.get("rss MiB"),
            memory.get("heap after GC MiB"),
            memory.get("live heap MiB")));
  }

  private static double cpuSeconds(long pid) throws IOException {
    var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /** CPU seconds used so far by each control-plane component, the benchmark, the operator. */
  private Map<String, Double> cpuByProcess(OperatorProcess operator) throws IOException {
    var cpu = new LinkedHashMap<String, Double>();
    for (var e : plane.componentPids().entrySet()) {
      cpu.put(e.getKey(), cpuSeconds(e.getValue()));
    }
    cpu.put("benchmark client", cpuSeconds(ProcessHandle.current().pid()));
    if (operator != null) {
      cpu.put("operator", cpuSeconds(operator.pid()));
    }
    return cpu;
  }

  private Map<String, Double> cpuSince(Map<String, Double> before, OperatorProcess operator)
      throws IOException {
    var now = cpuByProcess(operator);
    var used = new LinkedHashMap<String, Double>();
    now.forEach((k, v) -> used.put(k, Math.round((v - before.getOrDefault(k, 0.0)) * 10) / 10.0));
    return used;
  }

  /**
   * Waits until the control plane idles: its processes together use less than 0.2 CPU s per second
   * over 5 s. The controller-manager works through a finished phase's Deployments (ReplicaSets,
   * pods) and deletions for minutes after that phase's figure was taken; a phase started meanwhile
   * would pay for the last one's work, and the phases later in a run would be slower than the
   * earlier ones for no reason of their own. Gives up after 10 minutes, noting it.
   */
  private void awaitQuiet(String phase) {
    var window = new ArrayDeque<Double>();
    try {
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                double cpu = 0;
                for (long pid : plane.componentPids().values()) {
                  cpu += cpuSeconds(pid);
                }
                window.addLast(cpu);
                if (window.size() > 6) {
                  window.removeFirst();
                }
                return window.size() == 6 && window.getLast() - window.getFirst() < 1.0;
              });
    } catch (ConditionTimeoutException e) {
      table.add("(" + phase + " started on a control plane still busy after 10 minutes)");
    }
  }

  private Map<String, Double> apiserverRequests() {
    var counts = ApiServerMetrics.parse(Kubectl.run(plane, "get", "--raw", "/metrics"));
    if (counts.isEmpty()) {
      throw new IllegalStateException("no apiserver_request_total in the API server's metrics");
    }
    return counts;
  }

  private int childrenPerApp() {
    return BenchmarkChildren.of(apps("shape", 1).get(0)).size();
  }

  private List<DjangoApp> apps(String prefix, int n) {
    var celery =
        "celery".equals(SHAPE)
            ? """
            processes:
            - {name: worker, command: [celery, -A, mysite, worker]}
            - {name: beat, command: [celery, -A, mysite, beat], singleton: true}
            schedules:
            - {name: clearsessions, schedule: '17 3 * * *', command: [python, manage.py, clearsessions]}
          """
            : "";
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              var app =
                  client
                      .getKubernetesSerialization()
                      .unmarshal(
                          """
          apiVersion: django.operators.dev/v1alpha1
          kind: DjangoApp
          metadata: {name: app-%d, namespace: %s-%d}
          spec:
            image: registry.example.com/bench/django:1.0.0
            replicas: 1
            database: {host: db.bench.internal, name: app%d, credentialsSecret: db}
            migrations: {enabled: false}
            ingress:
              host: app-%d.%s.bench.example.com
              tls: {}
          """
                                  .formatted(i, prefix, i % NAMESPACES, i, i, prefix)
                              + celery,
                          DjangoApp.class);
              app.getMetadata().setUid("uid-" + i);
              return app;
            })
        .toList();
  }

  private void createNamespaces(String prefix) {
    for (int k = 0; k < NAMESPACES; k++) {
      var ns = prefix + "-" + k;
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .endMetadata()
                  .withStringData(Map.of("username", "u", "password", "p"))
                  .build())
          .serverSideApply();
    }
  }

  private void deleteNamespaces(String prefix) {
    for (int k = 0; k < NAMESPACES; k++) {
      client.namespaces().withName(prefix + "-" + k).delete();
    }
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                IntStream.range(0, NAMESPACES)
                    .allMatch(k -> client.namespaces().withName(prefix + "-" + k).get() == null));
  }

  private void inParallel(List<Callable<Object>> tasks) throws Exception {
    var pool = Executors.newFixedThreadPool(parallelism);
    try {
      for (var future : pool.invokeAll(tasks)) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The JDK of a variant such as "25-aot-c1". */
  private static Path variantHome(String variant) {
    return jdkHome(variant.replaceAll("-.*", ""));
  }

  private static Path jdkHome(String version) {
    var property = System.getProperty("benchmark.jdk" + version);
    if (property != null) {
      return Path.of(property);
    }
    var candidates =
        version.equals("17")
            ? List.of("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-17-jdk-amd64")
            : List.of("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-25-openjdk-amd64");
    return candidates.stream()
        .map(Path::of)
        .filter(p -> Files.isExecutable(p.resolve("bin/java")))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no JDK " + version + " found; set -Dbenchmark.jdk" + version + "=<home>"));
  }

  static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void report(Path json) throws IOException {
    System.out.println("\n=== django-operator benchmark ===");
    table.forEach(System.out::println);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), results);
    System.out.println("\nJSON: " + json.toAbsolutePath());
  }
}
