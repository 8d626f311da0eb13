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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real node beside kwok's fake one: kubelet, kube-proxy, containerd, runc and the bridge CNI
 * plugin, running real pods from images built locally ({@code src/test/real-node/}). One per
 * machine, as root: its ports, cgroups, iptables chains and a few host paths are fixed.
 *
 * <p>The node is tainted, so that pods of the kwok tests never land on it; a test namespace opts in
 * with {@link #NAMESPACE_ANNOTATIONS} (the API server's PodNodeSelector and
 * PodTolerationRestriction plugins apply them to every pod). Pods reach the host at {@link
 * #GATEWAY}, the bridge's address. {@link #stop} leaves nothing behind, and says what it found if
 * it did ({@code node.sh check}); a start first sweeps what a killed run left.
 */
public final class RealNode {
  private static final Logger log = LoggerFactory.getLogger(RealNode.class);
  public static final String NAME = "real-node-0";
  public static final String LABEL = "django-operator.dev/real-node";

  /** The host, as pods see it: the bridge's gateway address. */
  public static final String GATEWAY = "10.88.0.1";

  public static final Map<String, String> NAMESPACE_ANNOTATIONS =
      Map.of(
          "scheduler.alpha.kubernetes.io/node-selector",
          LABEL + "=true",
          "scheduler.alpha.kubernetes.io/defaultTolerations",
          "[{\"key\":\"" + LABEL + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
  private static final Path SCRIPTS = Path.of("src/test/real-node").toAbsolutePath();
  private static final Path RUN = Path.of("/run/django-operator-node");
  private static final Path LIB = Path.of("/var/lib/django-operator-node");
  private static final String BRIDGE = "djnode0";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final Path bin;
  private final Path images;
  private final Path logs;
  private final List<ComponentProcess> processes = new ArrayList<>();
  private Duration startupTime;

  private RealNode(Path bin, Path images, Path logs) {
    this.bin = bin;
    this.images = images;
    this.logs = logs;
  }

  /** Builds what is missing, then starts the node on the control plane and waits until Ready. */
  public static RealNode start(LocalControlPlane plane) {
    var binaries = lastLine(run(List.of("bash", SCRIPTS.resolve("build.sh").toString()), Map.of()));
    var node =
        new RealNode(
            binaries.resolve("bin"),
            lastLine(run(List.of("bash", SCRIPTS.resolve("images/build.sh").toString()), Map.of())),
            plane.logDirectory().resolve("real-node"));
    try {
      node.boot(plane, binaries.resolve("cni-bin"));
      return node;
    } catch (RuntimeException e) {
      node.stop();
      throw e;
    }
  }

  private void boot(LocalControlPlane plane, Path cniBin) {
    long started = System.nanoTime();
    node("sweep");
    node("setup");
    var etc = LIB.resolve("etc");
    var socket = RUN.resolve("containerd/containerd.sock");
    write(etc.resolve("containerd.toml"), containerdConfig(cniBin, etc));
    write(etc.resolve("cni/10-django-operator.conflist"), cniConfig());
    write(etc.resolve("kubelet.yaml"), kubeletConfig(socket));
    write(etc.resolve("kube-proxy.yaml"), kubeProxyConfig(plane.componentKubeconfig("kube-proxy")));

    // containerd finds its shim through PATH: its own directory first.
    processes.add(
        ComponentProcess.start(
            "containerd",
            bin.resolve("containerd"),
            List.of("--config", etc.resolve("containerd.toml").toString()),
            logs,
            Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin")));
    await("containerd's socket").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));
    importImages(socket);

    processes.add(
        ComponentProcess.start(
            "kubelet",
            bin.resolve("kubelet"),
            List.of(
                "--config=" + etc.resolve("kubelet.yaml"),
                "--kubeconfig=" + plane.componentKubeconfig("kubelet"),
                "--hostname-override=" + NAME,
                "--node-ip=" + hostAddress(),
                "--root-dir=" + LIB.resolve("kubelet"),
                "--cert-dir=" + LIB.resolve("kubelet/pki"),
                "--register-with-taints=" + LABEL + "=true:NoSchedule",
                "--node-labels=" + LABEL + "=true",
                "--v=1"),
            logs));
    processes.add(
        ComponentProcess.start(
            "kube-proxy",
            bin.resolve("kube-proxy"),
            List.of("--config=" + etc.resolve("kube-proxy.yaml"), "--v=1"),
            logs));

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
    var kubelet = find("kubelet");
    kubelet.forEach(ComponentProcess::stop);
    node("drain");
    processes.forEach(ComponentProcess::stop);
    processes.clear();
    node("sweep");
    var left = run(List.of("bash", SCRIPTS.resolve("node.sh").toString(), "check"), env(), true);
    if (!left.isBlank()) {
      throw new IllegalStateException("the real node left this behind:\n" + left);
    }
    log.info("real node {} stopped, nothing left behind", NAME);
  }

  private List<ComponentProcess> find(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).collect(Collectors.toList());
  }

  private void node(String command) {
    run(List.of("bash", SCRIPTS.resolve("node.sh").toString(), command), env());
  }

  private Map<String, String> env() {
    return Map.of(
        "NODE_RUN",
        RUN.toString(),
        "NODE_LIB",
        LIB.toString(),
        "NODE_BIN",
        bin.toString(),
        "BRIDGE",
        BRIDGE);
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
        .formatted(containerdRoot(), RUN, bin, cniBin, etc);
  }

  /** The content store survives a stop, so that images are imported once per machine. */
  private Path containerdRoot() {
    return images.getParent().resolve("containerd-root");
  }

  private static String cniConfig() {
    return """
        {"cniVersion": "1.0.0", "name": "django-operator", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/16", "gateway": "%s"}]],
                    "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "%s/cni-ipam"}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """
        .formatted(BRIDGE, GATEWAY, LIB);
  }

  private static String kubeletConfig(Path socket) {
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
        """
        .formatted(socket, LIB);
  }

  private static String kubeProxyConfig(Path kubeconfig) {
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        clientConnection: {kubeconfig: %s}
        mode: iptables
        clusterCIDR: 10.88.0.0/16
        hostnameOverride: %s
        metricsBindAddress: 127.0.0.1:10249
        healthzBindAddress: 127.0.0.1:10256
        # Leave the host's conntrack sysctls as they are.
        conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
        """
        .formatted(kubeconfig, NAME);
  }

  /** The host's first global IPv4 address: the node's InternalIP. */
  private static String hostAddress() {
    return run(List.of("ip", "-4", "-o", "addr", "show", "scope", "global"), Map.of())
        .lines()
        .map(line -> line.trim().split("\\s+")[3].replaceAll("/.*", ""))
        .filter(ip -> !ip.equals(GATEWAY))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no global IPv4 address"));
  }

  private static List<String> concat(List<String> head, String... tail) {
    var all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
