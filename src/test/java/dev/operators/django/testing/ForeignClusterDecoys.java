package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What another Kubernetes on the machine (k3s, kubeadm) would have where the real node could touch
 * it, planted by the test itself under names of its own: a {@code KUBE-} chain with a rule, jumped
 * to from the host's FORWARD chain; a process in a {@code kubepods} cgroup; a file in {@code
 * /var/lib/kubelet}; a {@code cni-} network namespace. {@link #assertIntact} checks each is still
 * as planted; {@link #close} removes exactly these (and the directories it had to make for them).
 */
final class ForeignClusterDecoys implements AutoCloseable {
  private static final Path KUBEPODS = Path.of("/sys/fs/cgroup/pids/kubepods");
  private static final Path KUBELET = Path.of("/var/lib/kubelet");
  private static final Path NETNS = Path.of("/run/netns");

  private final String id = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  private final String chain = "KUBE-DECOY-" + id;
  private final List<String> jump =
      List.of("FORWARD", "-m", "comment", "--comment", "decoy-" + id, "-j", chain);
  private final Path cgroup = KUBEPODS.resolve("decoy-" + id);
  private final Path file = KUBELET.resolve("decoy-" + id);
  private final String netns = "cni-decoy-" + id;

  /** Machine-wide kernel tunables kubelet sets (the node restores them): as they were. */
  private static final List<String> TUNABLES =
      List.of(
          "vm.overcommit_memory",
          "vm.panic_on_oom",
          "kernel.panic",
          "kernel.panic_on_oops",
          "kernel.keys.root_maxkeys",
          "kernel.keys.root_maxbytes");

  private final Map<String, String> tunables = new LinkedHashMap<>();
  private boolean madeKubepods;
  private boolean madeKubelet;
  private boolean madeNetnsDir;
  private Process pod;
  private Process podWatchdog;

  static ForeignClusterDecoys plant() {
    // iptables comes with the real node's packages; a fresh machine has it only after this.
    Commands.run(
        List.of(
            "bash", Path.of("src/test/real-node/install-packages.sh").toAbsolutePath().toString()),
        Map.of());
    var decoys = new ForeignClusterDecoys();
    try {
      decoys.plantAll();
      return decoys;
    } catch (RuntimeException | IOException e) {
      decoys.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private void plantAll() throws IOException {
    TUNABLES.forEach(key -> tunables.put(key, run("sysctl", "-n", key).trim()));
    run("iptables", "-N", chain);
    run("iptables", "-A", chain, "-j", "RETURN");
    iptables("-A", jump);

    madeKubepods = !Files.exists(KUBEPODS);
    Files.createDirectories(cgroup);
    pod = new ProcessBuilder("sleep", "infinity").start();
    podWatchdog = ComponentProcess.watchdog(pod);
    Files.writeString(cgroup.resolve("cgroup.procs"), String.valueOf(pod.pid()));

    madeKubelet = !Files.exists(KUBELET);
    Files.createDirectories(KUBELET);
    Files.writeString(file, "decoy " + id);

    madeNetnsDir = !Files.exists(NETNS);
    run("ip", "netns", "add", netns);
  }

  void assertIntact() throws IOException {
    TUNABLES.forEach(
        key -> assertThat(run("sysctl", "-n", key).trim()).as(key).isEqualTo(tunables.get(key)));
    assertThat(run("iptables", "-S", "FORWARD")).as("the jump to the decoy chain").contains(chain);
    assertThat(run("iptables", "-S", chain))
        .as("the decoy chain's rule")
        .contains("-A " + chain + " -j RETURN");
    assertThat(pod.isAlive()).as("the decoy pod's process").isTrue();
    assertThat(Files.readString(cgroup.resolve("cgroup.procs")))
        .as("the decoy pod's cgroup")
        .contains(String.valueOf(pod.pid()));
    assertThat(Files.readString(file)).as("the file in /var/lib/kubelet").isEqualTo("decoy " + id);
    assertThat(run("ip", "netns", "list")).as("the cni- network namespace").contains(netns);
    assertThat(Files.readString(Path.of("/proc/self/mounts")))
        .as("the cni- network namespace's mount")
        .contains(NETNS.resolve(netns).toString());
  }

  /** Removes exactly what {@link #plant} made, by name. */
  @Override
  public void close() {
    iptablesQuietly("-D", jump);
    Commands.run(List.of("iptables", "-D", chain, "-j", "RETURN"), Map.of(), true);
    Commands.run(List.of("iptables", "--delete-chain", chain), Map.of(), true);
    if (pod != null) {
      try {
        pod.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      podWatchdog.destroyForcibly();
    }
    deleteQuietly(cgroup);
    if (madeKubepods) {
      deleteQuietly(KUBEPODS);
    }
    deleteQuietly(file);
    if (madeKubelet) {
      deleteQuietly(KUBELET);
    }
    var netnsFile = NETNS.resolve(netns);
    if (Files.exists(netnsFile)) {
      Commands.run(List.of("umount", netnsFile.toString()), Map.of(), true);
      deleteQuietly(netnsFile);
    }
    if (madeNetnsDir && Files.exists(NETNS)) {
      // ip netns add made /run/netns a mount of itself; this test made it, so it goes too.
      Commands.run(List.of("umount", NETNS.toString()), Map.of(), true);
      deleteQuietly(NETNS);
    }
  }

  private static String run(String... command) {
    return Commands.run(List.of(command), Map.of());
  }

  private static void iptables(String action, List<String> rule) {
    Commands.run(concat(action, rule), Map.of());
  }

  private static void iptablesQuietly(String action, List<String> rule) {
    Commands.run(concat(action, rule), Map.of(), true);
  }

  private static List<String> concat(String action, List<String> rule) {
    var all = new ArrayList<String>(List.of("iptables", action));
    all.addAll(rule);
    return all;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Not empty or busy: left for the person who reads the failure.
    }
  }
}
