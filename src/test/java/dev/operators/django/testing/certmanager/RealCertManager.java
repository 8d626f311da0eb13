package dev.operators.django.testing.certmanager;

import static org.awaitility.Awaitility.await;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Commands;
import dev.operators.django.testing.ComponentProcess;
import dev.operators.django.testing.ServiceAccountKubeconfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cert-manager's real controllers on the local control plane, with two pebble ACME directories
 * standing for Let's Encrypt staging and production, pebble-challtestsrv as their DNS (every name
 * resolves to 127.0.0.1), the {@link Http01Responder} in place of the ingress controller, and the
 * ClusterIssuers {@value #STAGING} and {@value #PRODUCTION} on the two directories. Everything
 * listens on loopback.
 *
 * <p>The controllers run as the ServiceAccount cert-manager/cert-manager with the chart's RBAC
 * (src/test/resources/cert-manager/rbac.yaml), not as a cluster administrator.
 *
 * <p>Production refuses {@value #PRODUCTION_REFUSES} by policy (pebble's domain blocklist), as a CA
 * refuses a name for CAA or rate limits: the one way to fail on production after staging succeeded.
 */
public final class RealCertManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RealCertManager.class);
  public static final String NAMESPACE = "cert-manager";
  public static final String STAGING = "letsencrypt-staging";
  public static final String PRODUCTION = "letsencrypt-prod";

  /** The Ingress annotation that names a ClusterIssuer, and cert-manager's on its Secret. */
  public static final String ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

  public static final String ISSUER_NAME_ANNOTATION = "cert-manager.io/issuer-name";

  /** How long an issuance through pebble may take here. */
  public static final Duration ACME_TIMEOUT = Duration.ofSeconds(90);

  public static final String PRODUCTION_REFUSES = "refused-by-production.example.com";
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static RealCertManager shared;

  private final Cluster cluster;
  private final AcmeBinaries binaries;
  private final Path workDir;
  private final Http01Responder responder;
  private final ComponentProcess dns;
  private final PebbleDirectory staging;
  private final PebbleDirectory production;
  private ComponentProcess controllers;

  private RealCertManager(
      Cluster cluster,
      AcmeBinaries binaries,
      Path workDir,
      Http01Responder responder,
      ComponentProcess dns,
      PebbleDirectory staging,
      PebbleDirectory production) {
    this.cluster = cluster;
    this.binaries = binaries;
    this.workDir = workDir;
    this.responder = responder;
    this.dns = dns;
    this.staging = staging;
    this.production = production;
  }

  /**
   * The instance shared by every test in this JVM, started on first use, with its controllers
   * running (they are started again after {@link #pauseShared()}).
   */
  public static synchronized RealCertManager shared(Cluster cluster) {
    if (shared == null) {
      shared =
          start(
              cluster,
              Path.of(System.getProperty("controlPlane.workDir", "target/control-plane"))
                  .resolve("acme"));
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "cert-manager-shutdown"));
    }
    shared.startControllers();
    return shared;
  }

  /**
   * Stops the shared controllers (pebble stays up) once a TLS test class is done, so that the other
   * tests' apps meet the world they were written for: the CRDs, nobody issuing, and no solver pods,
   * services or ingresses in their namespaces.
   */
  public static synchronized void pauseShared() {
    if (shared != null) {
      shared.stopControllers();
    }
  }

  public static RealCertManager start(Cluster cluster, Path workDir) {
    var binaries = AcmeBinaries.build();
    var logs = workDir.resolve("logs");
    var admin = cluster.client(NAMESPACE);
    var responder = Http01Responder.start(admin);
    int dnsPort = PebbleDirectory.freePort();
    // Only the DNS server: answers come from the defaults, every name to 127.0.0.1 and no AAAA
    // (pebble would dial ::1 first, where nothing listens).
    var dns =
        ComponentProcess.start(
            "pebble-challtestsrv",
            binaries.challtestsrv(),
            List.of(
                "-dnsserver",
                "127.0.0.1:" + dnsPort,
                "-management",
                "127.0.0.1:" + PebbleDirectory.freePort(),
                "-http01",
                "",
                "-https01",
                "",
                "-doh",
                "",
                "-tlsalpn01",
                "",
                "-defaultIPv4",
                "127.0.0.1",
                "-defaultIPv6",
                ""),
            logs);
    var staging =
        PebbleDirectory.start(
            "pebble-staging", binaries, responder.port(), dnsPort, List.of(), workDir);
    var production =
        PebbleDirectory.start(
            "pebble-production",
            binaries,
            responder.port(),
            dnsPort,
            List.of(PRODUCTION_REFUSES),
            workDir);
    var world =
        new RealCertManager(cluster, binaries, workDir, responder, dns, staging, production);
    try {
      CertManagerCrds.install(admin);
      world.installIdentity(admin);
      world.startControllers();
      return world;
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
  }

  private void installIdentity(KubernetesClient admin) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .fieldManager("django-operator-tests")
        .forceConflicts()
        .serverSideApply();
    try (var rbac = getClass().getResourceAsStream("/cert-manager/rbac.yaml")) {
      admin
          .load(rbac)
          .items()
          .forEach(
              item ->
                  admin
                      .resource(item)
                      .fieldManager("django-operator-tests")
                      .forceConflicts()
                      .serverSideApply());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the controllers and (re)creates the ClusterIssuers, then waits until both have
   * registered their ACME account. Needs the CRDs.
   */
  public synchronized void startControllers() {
    if (controllers != null) {
      return;
    }
    try (var admin = cluster.client(NAMESPACE)) {
      var kubeconfig = workDir.resolve("cert-manager.kubeconfig");
      Commands.write(
          kubeconfig,
          ServiceAccountKubeconfig.of(cluster, admin, NAMESPACE, "cert-manager", 24 * 3600));
      controllers =
          ComponentProcess.start(
              "cert-manager",
              binaries.certManagerControllers(),
              List.of(
                  "--kubeconfig=" + kubeconfig,
                  "--cluster-resource-namespace=" + NAMESPACE,
                  "--v=2"),
              workDir.resolve("logs"),
              // Only the self check is plain HTTP, so only it goes through the responder; pebble's
              // directory is HTTPS on localhost, which Go never proxies.
              Map.of("HTTP_PROXY", "http://127.0.0.1:" + responder.port(), "NO_PROXY", ""));
      applyIssuer(admin, STAGING, staging);
      applyIssuer(admin, PRODUCTION, production);
      await("the ClusterIssuers to register their ACME accounts")
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(200))
          .failFast(() -> controllers.checkAlive())
          .until(() -> issuerReady(admin, STAGING) && issuerReady(admin, PRODUCTION));
      log.info(
          "cert-manager controllers ready; staging at {}, production at {}",
          staging.directoryUrl(),
          production.directoryUrl());
    }
  }

  /** Stops the controllers, as uninstalling cert-manager would; pebble and DNS stay up. */
  public synchronized void stopControllers() {
    if (controllers != null) {
      controllers.stop();
      controllers = null;
    }
  }

  private void applyIssuer(KubernetesClient admin, String name, PebbleDirectory directory) {
    var caBundle = Base64.getEncoder().encodeToString(read(binaries.pebbleListenerRoot()));
    var issuer =
        admin
            .getKubernetesSerialization()
            .unmarshal(
                """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata: {name: %s}
        spec:
          acme:
            server: %s
            caBundle: %s
            privateKeySecretRef: {name: %s-account}
            solvers:
            - http01: {ingress: {}}
        """
                    .formatted(name, directory.directoryUrl(), caBundle, name),
                GenericKubernetesResource.class);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                admin
                        .resource(issuer)
                        .fieldManager("django-operator-tests")
                        .forceConflicts()
                        .serverSideApply()
                    != null);
  }

  @SuppressWarnings("unchecked")
  private static boolean issuerReady(KubernetesClient admin, String name) {
    var issuer =
        admin
            .genericKubernetesResources("cert-manager.io/v1", "ClusterIssuer")
            .withName(name)
            .get();
    if (issuer == null) {
      return false;
    }
    var status =
        (Map<String, Object>) issuer.getAdditionalProperties().getOrDefault("status", Map.of());
    var conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
    return conditions.stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  public PebbleDirectory staging() {
    return staging;
  }

  public PebbleDirectory production() {
    return production;
  }

  public Http01Responder responder() {
    return responder;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    stopControllers();
    production.process().stop();
    staging.process().stop();
    dns.stop();
    responder.close();
  }
}
