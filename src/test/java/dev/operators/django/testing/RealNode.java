package dev.operators.django.testing;

import static dev.operators.django.testing.Commands.lastLine;
import static dev.operators.django.testing.Commands.run;
import static dev.operators.django.testing.Commands.write;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real node beside kwok's fake one: kubelet, kube-proxy, containerd, runc and the bridge CNI
 * plugin, running real pods from images built locally ({@code src/test/real-node/}). Root only.
 *
 * <p>The node is a guest on the machine ({@code node.sh}): its processes run in a network and a
 * mount namespace of the run's own, joined to the host by a veth whose host end is {@link
 * #GATEWAY}; kubelet's cgroups sit under a parent named for the run; every name it makes on the
 * host carries the run's id, and {@link #stop} removes exactly those, then checks that nothing is
 * left ({@code node.sh check}). Another Kubernetes on the machine is never touched.
 *
 * <p>The node is tainted, so that pods of the kwok tests never land on it; a test namespace opts in
 * with {@link #NAMESPACE_ANNOTATIONS} (the API server's PodNodeSelector and
 * PodTolerationRestriction plugins apply them to every pod). The host routes the pod and Service
 * ranges through the veth, so tests reach pod IPs and ClusterIPs as before.
 */
public final class RealNode {
  private static final Logger log = LoggerFactory.getLogger(RealNode.class);
  public static final String NAME = "real-node-0";
  public static final String LABEL = "django-operator.dev/real-node";

  /**
   * The host, as pods see it: the host end of the veth that joins the node's network namespace to
   * the host (node.sh). Host services listen here; pods reach it through their default route.
   */
  public static final String GATEWAY = "10.87.255.1";

  /** The node's end of the veth: its InternalIP, where the API server reaches the kubelet. */
  static final String NODE_ADDRESS = "10.87.255.2";

  /** The pods' addresses; the host routes them (and Service IPs) through the veth. */
  public static final String POD_CIDR = "10.88.0.0/16";

  /** The veth's two addresses: pods' traffic to the host leaves the node masqueraded as these. */
  public static final String LINK_CIDR = "10.87.255.0/30";

  public static final Map<String, String> NAMESPACE_ANNOTATIONS =
      Map.of(
          "scheduler.alpha.kubernetes.io/node-selector",
          LABEL + "=true",
          "scheduler.alpha.kubernetes.io/defaultTolerations",
          "[{\"key\":\"" + LABEL + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
  private static final Path SCRIPTS = Path.of("src/test/real-node").toAbsolutePath();
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final String id = newRunId();
  private final Path bin;
  private final Path images;
  private final Path logs;
  private final Path records;
  private final List<ComponentProcess> processes = new ArrayList<>();
  private ApiServerForwarder forwarder;
  private Duration startupTime;

  private RealNode(Path bin, Path images, Path logs, Path records) {
    this.bin = bin;
    this.images = images;
    this.logs = logs;
    this.records = records;
  }

  /**
   * Why this machine cannot run the node, if it cannot: not root (by uid), no cgroup v1, the node's
   * address ranges already routed (another cluster or network), another run alive. Tears down what
   * a killed run recorded as its own, by name, first.
   */
  public static Optional<String> missingPrerequisite() {
    long uid = ProcFs.realUid();
    if (uid != 0) {
      return Optional.of(
          "the real node needs root (it makes a network and a mount namespace, a veth and"
              + " cgroups); this JVM runs as uid "
              + uid);
    }
    var preflight =
        Commands.runForResult(
            List.of("bash", SCRIPTS.resolve("node.sh").toString(), "preflight"),
            Map.of("NODE_ID", "preflight", "NODE_RECORDS", records().toString()));
    if (!preflight.output().isBlank()) {
      log.info("node.sh preflight: {}", preflight.output().trim());
    }
    if (preflight.exitCode() == 0) {
      return Optional.empty();
    }
    var lines = preflight.output().trim().lines().toList();
    return Optional.of(lines.isEmpty() ? "node.sh preflight failed" : lines.get(lines.size() - 1));
  }

  /** Builds what is missing, then starts the node on the control plane and waits until Ready. */
  public static RealNode start(LocalControlPlane plane) {
    var binaries = lastLine(run(List.of("bash", SCRIPTS.resolve("build.sh").toString()), Map.of()));
    var node =
        new RealNode(
            binaries.resolve("bin"),
            lastLine(run(List.of("bash", SCRIPTS.resolve("images/build.sh").toString()), Map.of())),
            plane.logDirectory().resolve("real-node"),
            records());
    try {
      node.boot(plane, binaries.resolve("cni-bin"));
      return node;
    } catch (RuntimeException e) {
      node.stop();
      throw e;
    }
  }

  /** Where each run records its names, so that a start after a killed run removes exactly those. */
  private static Path records() {
    var cache =
        Optional.ofNullable(System.getenv("XDG_CACHE_HOME"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".cache"));
    return cache.resolve("django-operator/real-node-runs");
  }

  private static String newRunId() {
    return String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /** The run's own directory (node.sh names it the same way). */
  private Path dir() {
    return Path.of("/var/lib/django-operator-node-" + id);
  }

  private void boot(LocalControlPlane plane, Path cniBin) {
    long started = System.nanoTime();
    node("setup");
    var etc = dir().resolve("etc");
    var socket = dir().resolve("run/containerd/containerd.sock");
    write(etc.resolve("containerd.toml"), containerdConfig(cniBin, etc));
    write(etc.resolve("cni/10-django-operator.conflist"), cniConfig());
    write(etc.resolve("kubelet.yaml"), kubeletConfig(socket));
    // The kubelet and kube-proxy live in the node's network namespace, where the API server's
    // loopback address is not the host's: they reach it through a forwarder on the veth.
    forwarder = ApiServerForwarder.start(GATEWAY, plane.apiServerPort());
    var kubeletKubeconfig = nodeKubeconfig(plane.componentKubeconfig("kubelet"), etc);
    write(
        etc.resolve("kube-proxy.yaml"),
        kubeProxyConfig(nodeKubeconfig(plane.componentKubeconfig("kube-proxy"), etc)));

    // containerd finds its shim through PATH: its own directory first.
    processes.add(
        inNode(
            "containerd",
            bin.resolve("containerd"),
            List.of("--config", etc.resolve("containerd.toml").toString()),
            Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin")));
    await("containerd's socket").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));
    importImages(socket);

    processes.add(
        inNode(
            "kubelet",
            bin.resolve("kubelet"),
            List.of(
                "--config=" + etc.resolve("kubelet.yaml"),
                "--kubeconfig=" + kubeletKubeconfig,
                "--hostname-override=" + NAME,
                "--node-ip=" + NODE_ADDRESS,
                "--root-dir=" + dir().resolve("kubelet"),
                "--cert-dir=" + dir().resolve("kubelet/pki"),
                "--register-with-taints=" + LABEL + "=true:NoSchedule",
                "--node-labels=" + LABEL + "=true",
                "--v=1"),
            Map.of()));
    processes.add(
        inNode(
            "kube-proxy",
            bin.resolve("kube-proxy"),
            List.of("--config=" + etc.resolve("kube-proxy.yaml"), "--v=1"),
            Map.of()));

    try (KubernetesClient client = plane.client("default")) {
      await("the real node to be Ready")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                processes.forEach(ComponentProcess::checkAlive);
                var node = client.nodes().withName(NAME).get();
                return node != null
                    && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
              });
    }
    startupTime = Duration.ofNanos(System.nanoTime() - started);
    log.info("real node {} Ready in {} ms (logs in {})", NAME, startupTime.toMillis(), logs);
  }

  /** Imports the images the content store lacks; it is kept between runs, so usually none. */
  private void importImages(Path socket) {
    var ctr = List.of(bin.resolve("ctr").toString(), "-a", socket.toString(), "-n", "k8s.io");
    var present = Set.copyOf(run(concat(ctr, "images", "ls", "-q"), Map.of()).lines().toList());
    try (var tars = Files.list(images)) {
      for (var tar : tars.filter(f -> f.toString().endsWith(".tar")).sorted().toList()) {
        var name = imageName(tar);
        if (!present.contains(name)) {
          run(concat(ctr, "images", "import", tar.toString()), Map.of());
          log.info("imported {} into the real node's containerd", name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** registry.test/djangotest:v1 for djangotest-v1.tar; registry.test/pause:3.10 for pause. */
  private static String imageName(Path tar) {
    var base = tar.getFileName().toString().replace(".tar", "");
    return base.equals("pause")
        ? "registry.test/pause:3.10"
        : "registry.test/" + base.replaceFirst("-", ":");
  }

  public Duration startupTime() {
    return startupTime;
  }

  Path logDirectory() {
    return logs;
  }

  /** Stops every process, removes every pod, and checks that nothing is left on the host. */
  public void stop() {
    processes.forEach(
        p ->
            log.info(
                "real node {}: peak RSS {} MiB, CPU {} s",
                p.name(),
                ProcFs.peakRssMiB(p.pid()),
                ProcFs.cpuSeconds(p.pid())));
    long started = System.nanoTime();
    var kubelet = find("kubelet");
    kubelet.forEach(ComponentProcess::stop);
    node("drain");
    processes.forEach(ComponentProcess::stop);
    processes.clear();
    if (forwarder != null) {
      forwarder.close();
    }
    node("teardown");
    var left = check();
    if (!left.isBlank()) {
      throw new IllegalStateException("the real node left this behind:\n" + left);
    }
    log.info(
        "real node {} (run {}) stopped in {} ms, nothing left behind",
        NAME,
        id,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /** What this run left on the machine ({@code node.sh check}), one line each; blank if nothing. */
  public String check() {
    return run(List.of("bash", SCRIPTS.resolve("node.sh").toString(), "check"), env(), true);
  }

  /** The run's id: every name the node makes on the host carries it. */
  public String runId() {
    return id;
  }

  /** A component inside the node: its cgroup, its network and mount namespaces (node.sh exec). */
  private ComponentProcess inNode(
      String name, Path binary, List<String> args, Map<String, String> environment) {
    var command = new ArrayList<String>();
    command.add(SCRIPTS.resolve("node.sh").toString());
    command.add("exec");
    command.add(binary.toString());
    command.addAll(args);
    var all = new HashMap<>(env());
    all.putAll(environment);
    return ComponentProcess.start(name, Path.of("/bin/bash"), command, logs, all);
  }

  /** The plane's kubeconfig for a component, pointed at the forwarder on the veth. */
  private Path nodeKubeconfig(Path kubeconfig, Path etc) {
    try {
      var text = Files.readString(kubeconfig);
      var server = Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)").matcher(text);
      if (!server.find()) {
        throw new IllegalStateException("no loopback server in " + kubeconfig);
      }
      // The API server's self-signed certificate names "kubernetes", not the veth's address.
      var rewritten =
          server.replaceFirst(
              "server: https://"
                  + GATEWAY
                  + ":"
                  + server.group(1)
                  + "\n    tls-server-name: kubernetes");
      var file = etc.resolve(kubeconfig.getFileName());
      write(file, rewritten);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<ComponentProcess> find(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).collect(Collectors.toList());
  }

  private void node(String command) {
    run(List.of("bash", SCRIPTS.resolve("node.sh").toString(), command), env());
  }

  private Map<String, String> env() {
    return Map.of(
        "NODE_ID",
        id,
        "NODE_RECORDS",
        records.toString(),
        "NODE_BIN",
        bin.toString(),
        "NODE_OWNER",
        String.valueOf(ProcessHandle.current().pid()));
  }

  private String containerdConfig(Path cniBin, Path etc) {
    return """
        version = 4
        root = '%1$s/containerd'
        state = '%2$s/containerd'
        [plugins]
          [plugins.'io.containerd.server.v1.grpc']
            address = '%2$s/containerd/containerd.sock'
          [plugins.'io.containerd.server.v1.ttrpc']
            address = '%2$s/containerd/containerd.sock.ttrpc'
          [plugins.'io.containerd.internal.v1.opt']
            path = '%1$s/containerd-opt'
          [plugins.'io.containerd.nri.v1.nri']
            disable = true
          [plugins.'io.containerd.cri.v1.images']
            snapshotter = 'overlayfs'
            [plugins.'io.containerd.cri.v1.images'.pinned_images]
              sandbox = 'registry.test/pause:3.10'
          [plugins.'io.containerd.cri.v1.runtime']
            # This VM withholds CAP_SYS_RESOURCE: lowering oom_score_adj would fail every pod.
            restrict_oom_score_adj = true
            netns_mounts_under_state_dir = true
            cdi_spec_dirs = []
            [plugins.'io.containerd.cri.v1.runtime'.containerd]
              default_runtime_name = 'runc'
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                runtime_type = 'io.containerd.runc.v2'
                [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                  BinaryName = '%3$s/runc'
                  Root = '%2$s/runc'
                  SystemdCgroup = false
            [plugins.'io.containerd.cri.v1.runtime'.cni]
              bin_dirs = ['%4$s']
              conf_dir = '%5$s/cni'
        """
        .formatted(containerdRoot(), dir().resolve("run"), bin, cniBin, etc);
  }

  /** The content store survives a stop, so that images are imported once per machine. */
  private Path containerdRoot() {
    return images.getParent().resolve("containerd-root");
  }

  private String cniConfig() {
    return """
        {"cniVersion": "1.0.0", "name": "django-operator", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]],
                    "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "%s/cni-ipam"}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """
        .formatted("cni0", POD_CIDR, dir());
  }

  private String kubeletConfig(Path socket) {
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        containerRuntimeEndpoint: unix://%s
        cgroupDriver: cgroupfs
        # This VM has cgroup v1 only; kubelet 1.35 refuses it unless told otherwise.
        failCgroupV1: false
        failSwapOn: false
        # A test node: the API server reaches logs and exec without client certificates.
        authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
        authorization: {mode: AlwaysAllow}
        port: 10250
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: 10248
        rotateCertificates: false
        serverTLSBootstrap: false
        serializeImagePulls: false
        resolvConf: /etc/resolv.conf
        clusterDomain: cluster.local
        cgroupsPerQOS: true
        enforceNodeAllocatable: ["pods"]
        evictionHard: {memory.available: "100Mi", nodefs.available: "2%%", imagefs.available: "2%%", nodefs.inodesFree: "1%%"}
        # The imported images cannot be pulled again: never collect them.
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        maxPods: 110
        podLogsDir: %s/pod-logs
        # The node's pods and QoS cgroups under the run's own parent, never the host's /kubepods.
        cgroupRoot: /django-operator-node-%s
        """
        .formatted(socket, dir(), id);
  }

  private static String kubeProxyConfig(Path kubeconfig) {
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        clientConnection: {kubeconfig: %s}
        mode: iptables
        clusterCIDR: %s
        hostnameOverride: %s
        metricsBindAddress: 127.0.0.1:10249
        healthzBindAddress: 127.0.0.1:10256
        # Leave the host's conntrack sysctls as they are.
        conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
        """
        .formatted(kubeconfig, POD_CIDR, NAME);
  }

  private static List<String> concat(List<String> head, String... tail) {
    var all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
