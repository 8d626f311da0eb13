package dev.operators.django.testing;

import static dev.operators.django.testing.Commands.write;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok with one fake Node, run as
 * local processes from the binaries that {@code src/test/control-plane/build.sh} builds.
 *
 * <p>The API server authenticates with static bearer tokens: an administrator in {@code
 * system:masters}, and one identity each for the controller-manager and the scheduler. Its serving
 * certificate is the self-signed one it generates into {@code pki/}, which the kubeconfig trusts.
 *
 * <p>For the chaos run, the API server can also keep an audit log (every write, with the Lease
 * writes' bodies: see {@link #AUDIT_POLICY}) and be killed and started again on the same port and
 * etcd.
 */
public final class LocalControlPlane implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);
  public static final String NODE_NAME = "kwok-node-0";

  /** The cluster's default IngressClass (see {@link #createDefaultIngressClass}). */
  public static final String INGRESS_CLASS = "traefik";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

  private final ControlPlaneBinaries binaries;
  private final Path workDir;
  private final List<ComponentProcess> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopProcesses, "control-plane-shutdown");

  /**
   * Writes of every kind, by whom and with what answer; Lease writes in the django-operator
   * namespace with their request body (the holder). Reads are not logged: they would be most of the
   * log and nobody counts them.
   */
  static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: Request
          verbs: ["create", "update", "patch"]
          namespaces: ["django-operator"]
          resources: [{group: "coordination.k8s.io", resources: ["leases"]}]
        - level: Metadata
          verbs: ["create", "update", "patch", "delete", "deletecollection"]
        - level: None
      """;

  private final boolean audit;
  private String kubeconfigYaml;
  private String serverVersion;
  private Duration startupTime;
  private List<String> apiserverArgs;
  private int apiserverIndex;
  private String adminToken;
  private URI apiserverReadyz;

  private LocalControlPlane(ControlPlaneBinaries binaries, Path workDir, boolean audit) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.audit = audit;
  }

  /** Starts a fresh control plane whose state, kubeconfig and logs live under {@code workDir}. */
  public static LocalControlPlane start(ControlPlaneBinaries binaries, Path workDir) {
    return start(binaries, workDir, false);
  }

  /**
   * As {@link #start(ControlPlaneBinaries, Path)}, with the API server's audit log in {@link
   * #auditLog()} when {@code audit} is set.
   */
  public static LocalControlPlane start(
      ControlPlaneBinaries binaries, Path workDir, boolean audit) {
    var plane = new LocalControlPlane(binaries, workDir, audit);
    Runtime.getRuntime().addShutdownHook(plane.shutdownHook);
    try {
      plane.boot();
      return plane;
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  private void boot() {
    long started = System.nanoTime();
    try {
      deleteRecursively(workDir.resolve("etcd"));
      // A fresh cluster's audit log starts empty, not after a previous run's.
      Files.deleteIfExists(auditLog());
      Files.createDirectories(workDir.resolve("pki"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var logs = workDir.resolve("logs");
    var saKey = writeServiceAccountKey();
    var tokens =
        Map.of(
            "admin",
            randomToken(),
            "controller-manager",
            randomToken(),
            "scheduler",
            randomToken(),
            "kubelet",
            randomToken(),
            "kube-proxy",
            randomToken());
    writeTokenFile(tokens);

    int etcdPort = freePort();
    var etcd =
        ComponentProcess.start(
            "etcd",
            binaries.etcd(),
            List.of(
                "--name=django-operator-test",
                "--data-dir=" + workDir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + freePort(),
                "--listen-metrics-urls=http://127.0.0.1:" + freePort(),
                // Tests do not need durability across a machine crash; fsync would dominate their
                // time.
                "--unsafe-no-fsync=true",
                "--log-level=warn"),
            logs);
    processes.add(etcd);
    awaitHttp(etcd, URI.create("http://127.0.0.1:" + etcdPort + "/health"), null);

    int apiPort = freePort();
    var pki = workDir.resolve("pki");
    var args =
        new ArrayList<>(
            List.of(
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + pki,
                "--token-auth-file=" + workDir.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + saKey,
                "--service-account-signing-key-file=" + saKey,
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                // A real node (RealNode) is tainted; its test namespaces select it and tolerate the
                // taint through these two plugins' namespace annotations, so no kwok test lands
                // there.
                "--enable-admission-plugins=PodNodeSelector,PodTolerationRestriction",
                // The API server reaches a real kubelet (logs, exec) by its IP, not its name.
                "--kubelet-preferred-address-types=InternalIP,Hostname",
                // -DcontrolPlane.profiling=true serves /debug/pprof, for profiling a benchmark's
                // API server.
                "--profiling=" + Boolean.getBoolean("controlPlane.profiling"),
                "--v=1"));
    if (audit) {
      write(workDir.resolve("audit-policy.yaml"), AUDIT_POLICY);
      args.addAll(
          List.of(
              "--audit-policy-file=" + workDir.resolve("audit-policy.yaml"),
              "--audit-log-path=" + auditLog(),
              "--audit-log-maxsize=0"));
    }
    apiserverArgs = List.copyOf(args);
    apiserverIndex = processes.size();
    var apiserver = ComponentProcess.start("kube-apiserver", binaries.kubeApiserver(), args, logs);
    processes.add(apiserver);
    var server = "https://127.0.0.1:" + apiPort;
    adminToken = tokens.get("admin");
    apiserverReadyz = URI.create(server + "/readyz");
    awaitHttp(apiserver, apiserverReadyz, adminToken);

    var caFile = pki.resolve("apiserver.crt");
    kubeconfigYaml = kubeconfig(server, caFile, "admin", tokens.get("admin"));
    var kcmConfig = writeKubeconfig("controller-manager", server, caFile, tokens);
    var schedulerConfig = writeKubeconfig("scheduler", server, caFile, tokens);
    writeKubeconfig("kubelet", server, caFile, tokens);
    writeKubeconfig("kube-proxy", server, caFile, tokens);
    write(workDir.resolve("kubeconfig"), kubeconfigYaml);

    processes.add(
        ComponentProcess.start(
            "kube-controller-manager",
            binaries.kubeControllerManager(),
            List.of(
                "--kubeconfig=" + kcmConfig,
                "--leader-elect=false",
                "--bind-address=127.0.0.1",
                "--secure-port=" + freePort(),
                "--service-account-private-key-file=" + saKey,
                "--root-ca-file=" + caFile,
                "--use-service-account-credentials=false",
                "--profiling=false",
                "--v=1"),
            logs));
    processes.add(
        ComponentProcess.start(
            "kube-scheduler",
            binaries.kubeScheduler(),
            List.of(
                "--kubeconfig=" + schedulerConfig,
                "--leader-elect=false",
                "--bind-address=127.0.0.1",
                "--secure-port=" + freePort(),
                "--profiling=false",
                "--v=1"),
            logs));
    processes.add(
        ComponentProcess.start(
            "kwok",
            binaries.kwok(),
            List.of(
                "--kubeconfig=" + workDir.resolve("kubeconfig"),
                "--config=" + binaries.kwokStages(),
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                "--node-lease-duration-seconds=40",
                "--cidr=10.0.0.1/16",
                "--node-ip=10.0.0.1",
                "--server-address=127.0.0.1:" + freePort()),
            logs));

    try (var client = client("default")) {
      serverVersion = client.getKubernetesVersion().getGitVersion();
      registerFakeNode(client);
      createDefaultIngressClass(client);
      awaitCondition("the kwok node to be Ready", () -> isNodeReady(client));
      // The controller-manager's serviceaccount controller creates this; pods need it to admit.
      awaitCondition(
          "the controller-manager to create the default ServiceAccount",
          () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
    }
    startupTime = Duration.ofNanos(System.nanoTime() - started);
    log.info(
        "control plane ready: kube-apiserver {} at {} in {} ms (logs in {})",
        serverVersion,
        server,
        startupTime.toMillis(),
        logs);
  }

  /**
   * A kwok of its own for one Node (the shared kwok manages only Nodes annotated {@code
   * kwok.x-k8s.io/node=fake}): it acts as that Node's kubelet and renews its Lease. Killing it is a
   * kubelet that died: nothing renews the Lease or acts on the Node's pods any more. Handing the
   * Lease to another holder does not do that with kwok v0.7.0, whose pod controller may keep acting
   * for the Node depending on which of its controllers started first. The caller stops it.
   */
  public ComponentProcess startKwokFor(String node, String podCidr) {
    return ComponentProcess.start(
        "kwok-" + node,
        binaries.kwok(),
        List.of(
            "--kubeconfig=" + workDir.resolve("kubeconfig"),
            "--config=" + binaries.kwokStages(),
            "--manage-single-node=" + node,
            "--node-lease-duration-seconds=40",
            "--cidr=" + podCidr,
            "--node-ip=10.0.0.1"),
        workDir.resolve("logs"));
  }

  private void registerFakeNode(KubernetesClient client) {
    var capacity =
        Map.of(
            "cpu",
            new Quantity("1000"),
            "memory",
            new Quantity("4Ti"),
            "pods",
            new Quantity("10000"));
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE_NAME)
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .addToLabels("type", "kwok")
                .addToLabels("kubernetes.io/hostname", NODE_NAME)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .endMetadata()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .endStatus()
                .build())
        .create();
  }

  /**
   * The IngressClass of the test world's ingress controller (Traefik, on the real node), marked as
   * the cluster's default as a platform's is (k3s ships the same): apps that name no class get it
   * from the API server's DefaultIngressClass admission.
   */
  private static void createDefaultIngressClass(KubernetesClient client) {
    client
        .network()
        .v1()
        .ingressClasses()
        .resource(
            new IngressClassBuilder()
                .withNewMetadata()
                .withName(INGRESS_CLASS)
                .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true")
                .endMetadata()
                .withNewSpec()
                .withController("traefik.io/ingress-controller")
                .endSpec()
                .build())
        .create();
  }

  private static boolean isNodeReady(KubernetesClient client) {
    var node = client.nodes().withName(NODE_NAME).get();
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void awaitCondition(String what, Callable<Boolean> condition) {
    await(what)
        .atMost(STARTUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast(() -> processes.forEach(ComponentProcess::checkAlive))
        .until(condition);
  }

  /** Polls a health endpoint on loopback until it answers 200, failing fast if the process dies. */
  private void awaitHttp(ComponentProcess component, URI uri, String bearerToken) {
    var http =
        HttpClient.newBuilder()
            .sslContext(loopbackTrustingContext())
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    awaitCondition(
        component.name() + " to answer " + uri,
        () -> {
          var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
          if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
          }
          try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
                == 200;
          } catch (IOException notYetListening) {
            return false;
          }
        });
  }

  /**
   * The health probes above run before the API server's certificate can be read back; they talk
   * only to 127.0.0.1 and carry nothing but a throwaway token. Clients use the real CA.
   */
  private static SSLContext loopbackTrustingContext() {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Path writeServiceAccountKey() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      var pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n";
      var file = workDir.resolve("pki/service-account.key");
      write(file, pem);
      return file;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the service-account key", e);
    }
  }

  private void writeTokenFile(Map<String, String> tokens) {
    // token,user,uid,"groups": every component is a cluster administrator, as on a kubeadm node.
    var lines = new StringBuilder();
    lines.append(tokens.get("admin")).append(",admin,uid-admin,\"system:masters\"\n");
    lines
        .append(tokens.get("controller-manager"))
        .append(",system:kube-controller-manager,uid-kcm,\"system:masters\"\n");
    lines
        .append(tokens.get("scheduler"))
        .append(",system:kube-scheduler,uid-scheduler,\"system:masters\"\n");
    // A real node's identities, which the Node authorizer and the default system:node-proxier
    // binding authorize, as on a kubeadm node: not administrators.
    lines
        .append(tokens.get("kubelet"))
        .append(",system:node:")
        .append(RealNode.NAME)
        .append(",uid-kubelet,\"system:nodes\"\n");
    lines.append(tokens.get("kube-proxy")).append(",system:kube-proxy,uid-kube-proxy\n");
    write(workDir.resolve("tokens.csv"), lines.toString());
  }

  private Path writeKubeconfig(String user, String server, Path ca, Map<String, String> tokens) {
    var file = workDir.resolve(user + ".kubeconfig");
    write(file, kubeconfig(server, ca, user, tokens.get(user)));
    return file;
  }

  private static String kubeconfig(String server, Path ca, String user, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: django-operator-local
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: django-operator-local
          context:
            cluster: django-operator-local
            user: %s
            namespace: default
        current-context: django-operator-local
        """
        .formatted(server, ca, user, token, user);
  }

  private static String randomToken() {
    var bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The API server's audit log (JSON lines), when started with one. */
  public Path auditLog() {
    return workDir.resolve("logs/kube-apiserver-audit.log");
  }

  /** SIGKILL of the API server, as when its node dies; its clients see connections refused. */
  public synchronized void killApiServer() {
    processes.get(apiserverIndex).kill();
  }

  /** Starts the API server again, with the same port, etcd and certificates, until it is ready. */
  /**
   * Starts kube-apiserver again on the same port and etcd, and again if it exits before it is
   * ready, as the kubelet restarts a crashed static pod (seen under heavy load: its post-start hook
   * "start-service-ip-repair-controllers" gives up, and it exits with 255). Returns how many starts
   * it took.
   */
  public synchronized int restartApiServer() {
    for (int start = 1; ; start++) {
      var apiserver =
          ComponentProcess.start(
              "kube-apiserver", binaries.kubeApiserver(), apiserverArgs, workDir.resolve("logs"));
      processes.set(apiserverIndex, apiserver);
      try {
        awaitHttp(apiserver, apiserverReadyz, adminToken);
        return start;
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        if (start == 3 || apiserver.isAlive()) {
          throw e;
        }
        log.warn("kube-apiserver exited while starting (start {}); starting it again", start);
      }
    }
  }

  public Path kubeconfigFile() {
    return workDir.resolve("kubeconfig");
  }

  /** The API server's port on the host's loopback address. */
  int apiServerPort() {
    return apiserverReadyz.getPort();
  }

  /** The kubeconfig of a component identity: kubelet or kube-proxy, for a real node. */
  Path componentKubeconfig(String component) {
    return workDir.resolve(component + ".kubeconfig");
  }

  public Path logDirectory() {
    return workDir.resolve("logs");
  }

  public Duration startupTime() {
    return startupTime;
  }

  @Override
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  @Override
  public String serverVersion() {
    return serverVersion;
  }

  /** The process id of each running component, by name: for the benchmark's CPU accounting. */
  public synchronized Map<String, Long> componentPids() {
    var pids = new LinkedHashMap<String, Long>();
    processes.forEach(p -> pids.put(p.name(), p.pid()));
    return pids;
  }

  @Override
  public boolean podsAreSimulated() {
    return true;
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or has run.
    }
  }

  private synchronized void stopProcesses() {
    // Stop in reverse start order: clients of the API server first, etcd last.
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop();
    }
    processes.clear();
  }
}
