package dev.operators.django.testing;

import static org.awaitility.Awaitility.await;

import dev.operators.django.DjangoOperator;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.certmanager.Http01Responder;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./mvnw -Prun}: runs the operator against the current kube context, or, when there is none,
 * starts the local control plane with cert-manager's real controllers and two pebble ACME
 * directories (letsencrypt-staging and letsencrypt-prod), installs the CRD, runs the operator and
 * applies the polls sample, which goes Staging -> Production. Runs until Ctrl-C.
 */
public final class LocalRun {
  static final String[] QUICK_START = {
    "deploy/samples/namespace.yaml",
    "deploy/samples/polls-secrets.yaml",
    "deploy/samples/polls.yaml"
  };

  private LocalRun() {}

  /**
   * Any failure while starting ends the run with its message and status 1, rather than a stack
   * trace, or a JVM kept alive by a thread that started before the failure.
   */
  public static void main(String[] args) {
    try {
      run();
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      var message = e.getMessage() != null ? e.getMessage() : cause.toString();
      System.err.printf("%n./mvnw -Prun did not start: %s%n", message);
      System.err.flush();
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    var env = new HashMap<>(System.getenv());
    env.put("HEALTH_PORT", String.valueOf(HealthPort.choose(env, HealthPort.PREFERRED)));
    var settings = OperatorSettings.fromEnvironment(env);
    var stopped = new CountDownLatch(1);
    var started = System.nanoTime();
    var kubeconfig = Kubeconfig.read();
    var target =
        RunTarget.decide(
            kubeconfig.current(),
            kubeconfig.contexts(),
            Optional.ofNullable(System.getProperty("context")).filter(c -> !c.isBlank()));
    if (target.refusal().isPresent()) {
      throw new IllegalStateException(target.refusal().get());
    }
    if (target.context().isPresent()) {
      runInContext(target.context().get(), settings, stopped);
      return;
    }

    System.out.println(
        "\nStarting the local control plane"
            + " (the first run builds it from Go modules, which takes minutes).");
    var binaries = ControlPlaneBinaries.build();
    var plane = LocalControlPlane.start(binaries, Path.of("target/local-run").toAbsolutePath());
    var client = plane.client("polls");
    OperatorExtension.installCrd(plane);
    // cert-manager's real controllers and two pebble ACME directories for letsencrypt-staging
    // and letsencrypt-prod, so that the sample's TLS goes Staging -> Production for real.
    var certManager =
        RealCertManager.start(plane, Path.of("target/local-run/acme").toAbsolutePath());
    var operator = DjangoOperator.start(client, settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  certManager.close();
                  plane.close();
                  stopped.countDown();
                },
                "local-run-shutdown"));

    // The README's quick start, applied as `kubectl apply --server-side` does (field manager
    // "kubectl"), so that running those commands again changes nothing.
    for (var file : QUICK_START) {
      client
          .load(Files.newInputStream(Path.of(file)))
          .inNamespace("polls")
          .fieldManager("kubectl")
          .serverSideApply();
    }
    if (Boolean.getBoolean("realNode")) {
      runOnTheRealNode(plane, binaries, stopped);
      return;
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .until(
            () -> {
              var app = client.resources(DjangoApp.class).withName("polls").get();
              return app != null
                  && app.getStatus() != null
                  && Conditions.isTrue(app.getStatus().conditions, Conditions.READY);
            });
    var ready = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              var app = client.resources(DjangoApp.class).withName("polls").get();
              return app.getStatus().tls != null
                  && "Production".equals(app.getStatus().tls.stage)
                  && "Ready".equals(app.getStatus().tls.phase);
            });
    var app = client.resources(DjangoApp.class).withName("polls").get();
    var tls = Conditions.find(app.getStatus().conditions, Conditions.CERTIFICATE_READY);
    System.out.printf(
        """

        The polls DjangoApp is Ready, %d s after start (pods are faked by kwok), and its
        certificate is on production %d s after start: real ACME orders, first on the staging
        directory, then on the production one (two pebble servers, with cert-manager's real
        controllers). The quick start's three kubectl apply commands have been run (running them
        again changes nothing).

        %s
        CertificateReady: %s (%s)

          export KUBECONFIG=%s
          %s get djangoapps -n polls
          %s describe djangoapp polls -n polls

        To see a failure: a host under %s stands for a name whose DNS points at another
        server, which answers 404 for the challenge token; the app stays on staging and says why:

          %s create namespace broken
          %s apply -n broken -f deploy/samples/polls-secrets.yaml
          sed 's/polls.example.com/polls.%s/' deploy/samples/polls.yaml | %s apply -n broken -f -
          %s get djangoapps -n broken -w      # TLS stays Staging; then:
          %s get djangoapp polls -n broken -o jsonpath='{.status.conditions[?(@.type=="CertificateReady")].message}'

        Press Ctrl-C to stop the operator, cert-manager, pebble and the control plane.
        """,
        ready,
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        Kubectl.run(plane, "get", "djangoapps", "-n", "polls"),
        tls.map(c -> c.getStatus()).orElse("-"),
        tls.map(c -> c.getMessage()).orElse("-"),
        plane.kubeconfigFile(),
        binaries.kubectl(),
        binaries.kubectl(),
        Http01Responder.ELSEWHERE,
        binaries.kubectl(),
        binaries.kubectl(),
        Http01Responder.ELSEWHERE,
        binaries.kubectl(),
        binaries.kubectl(),
        binaries.kubectl());
    System.out.flush();
    stopped.await();
  }

  /**
   * {@code ./mvnw -Prun -DrealNode=true}: also a real node (root only), and the project's own
   * Django app served for real in namespace {@code polls-real}, with PostgreSQL and S3 on the host.
   */
  private static void runOnTheRealNode(
      LocalControlPlane plane, ControlPlaneBinaries binaries, CountDownLatch stopped)
      throws InterruptedException {
    System.out.println(
        "\nStarting a real node (the first run builds kubelet, containerd, runc and"
            + " the app's images: minutes).");
    var node = RealNode.start(plane);
    var services = HostServices.start(plane.logDirectory().resolve("real-node"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  services.close();
                  node.stop();
                },
                "local-run-real-node-shutdown"));
    var client = plane.client("polls-real");
    var namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("polls-real")
            .withAnnotations(RealNode.NAMESPACE_ANNOTATIONS)
            .endMetadata()
            .build();
    client.resource(namespace).serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().withName("default").get() != null);
    services.createDatabase("polls_real", "polls_real", "local-run-password");
    services.createBucket("polls_real");
    RealNodeApps.createSecrets(client, "polls_real", "local-run-password");
    client
        .resource(RealNodeApps.polls("polls_real", "registry.test/djangotest:v1", true))
        .serverSideApply();
    await()
        .atMost(Duration.ofMinutes(5))
        .until(
            () -> {
              var app = client.resources(DjangoApp.class).withName("polls").get();
              return app != null
                  && app.getStatus() != null
                  && Conditions.isTrue(app.getStatus().conditions, Conditions.READY);
            });
    var ip = client.services().withName("polls").get().getSpec().getClusterIP();
    System.out.printf(
        """

        The test app runs for real on node %s (namespace polls-real): migrated in PostgreSQL,
        static files in S3 (moto), superuser admin / %s. Reach it as the ingress would:

          curl -H 'Host: %s' http://%s:8000/polls/
          export KUBECONFIG=%s
          %s get djangoapps,pods -n polls-real

        Press Ctrl-C to stop everything.
        """,
        RealNode.NAME,
        RealNodeApps.ADMIN_PASSWORD,
        RealNodeApps.HOST,
        ip,
        plane.kubeconfigFile(),
        binaries.kubectl());
    System.out.flush();
    stopped.await();
  }

  /** The kubeconfig's current context and all its contexts; none without a kubeconfig. */
  record Kubeconfig(Optional<String> current, List<String> contexts) {
    static final String IN_CLUSTER = "in-cluster";

    static Kubeconfig read() {
      var kubeconfig = System.getenv("KUBECONFIG");
      var file =
          kubeconfig != null && !kubeconfig.isBlank()
              ? Path.of(kubeconfig.split(File.pathSeparator)[0])
              : Path.of(System.getProperty("user.home"), ".kube", "config");
      if (!Files.isRegularFile(file)) {
        return System.getenv("KUBERNETES_SERVICE_HOST") != null
            ? new Kubeconfig(Optional.of(IN_CLUSTER), List.of(IN_CLUSTER))
            : new Kubeconfig(Optional.empty(), List.of());
      }
      var config = Config.autoConfigure(null);
      return new Kubeconfig(
          Optional.ofNullable(config.getCurrentContext()).map(NamedContext::getName),
          config.getContexts().stream().map(NamedContext::getName).toList());
    }
  }

  /**
   * The operator against a context the user named: refused while another django-operator holds its
   * Lease there (two operators would fight over the same apps).
   */
  private static void runInContext(
      String context, OperatorSettings settings, CountDownLatch stopped) throws Exception {
    var config =
        DjangoOperator.config(
            Config.autoConfigure(context.equals(Kubeconfig.IN_CLUSTER) ? null : context));
    var client = DjangoOperator.clientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      client.close();
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new IllegalStateException(
          "the kube context %s (%s) does not answer: %s"
              .formatted(context, client.getMasterUrl(), cause),
          e);
    }
    var holder = LeaseCheck.heldBy(LeaseCheck.find(client), Instant.now());
    if (holder.isPresent()) {
      client.close();
      throw new IllegalStateException(
          "another django-operator runs in context %s: %s. Stop it first (kubectl scale"
                  .formatted(context, holder.get())
              + " deployment django-operator --replicas=0 in its namespace), or choose another"
              + " context");
    }
    System.out.printf("%nUsing the kube context %s (%s).%n", context, client.getMasterUrl());
    installCrdIfMissing(client);
    DjangoOperator operator;
    try {
      operator = DjangoOperator.start(client, settings);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                }));
    System.out.printf(
        "The operator is running, health and metrics on port %d. Press Ctrl-C to stop it.%n",
        operator.healthPort());
    stopped.await();
  }

  private static void installCrdIfMissing(KubernetesClient client) throws Exception {
    if (client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("djangoapps.django.operators.dev")
            .get()
        == null) {
      System.out.println("Installing the DjangoApp CRD from crd/.");
      client.load(Files.newInputStream(OperatorExtension.CRD)).serverSideApply();
    }
  }
}
