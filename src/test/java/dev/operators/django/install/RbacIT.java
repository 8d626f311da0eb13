package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.api.SuperuserSpec;
import dev.operators.django.status.Conditions;
import dev.operators.django.status.EventRecorder;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RBAC in deploy/ is exactly sufficient: the operator, impersonating its ServiceAccount on the
 * real API server, runs the whole polls scenario (children, Jobs, TLS promotion, Events), and verbs
 * it does not need are not granted.
 */
@WithCluster
class RbacIT {
  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  static final String SERVICE_ACCOUNT = "system:serviceaccount:django-operator:django-operator";

  @RegisterExtension
  final OperatorExtension operator = new OperatorExtension().impersonating(SERVICE_ACCOUNT);

  /** Before the operator starts (its extension runs before any @BeforeEach). */
  @BeforeAll
  static void installRbac(Cluster cluster) {
    RealCertManager.shared(cluster);
    Kubectl.run(
        cluster,
        "apply",
        "--server-side",
        "-f",
        "deploy/00-namespace.yaml",
        "-f",
        "deploy/10-rbac.yaml");
  }

  @Test
  void theServiceAccountCanRunTheWholePollsScenario(KubernetesClient client, TestNamespace ns) {
    Polls.createSecrets(client);
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-admin")
                .endMetadata()
                .withStringData(
                    Map.of("username", "admin", "email", "a@example.com", "password", "pw"))
                .build())
        .create();
    var app = Polls.app(client);
    app.getSpec().superuser = new SuperuserSpec();
    app.getSpec().superuser.credentialsSecret = "polls-admin";
    // Every kind of child: an autoscaled worker, a singleton beat, a schedule, the PDB.
    var celery =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
        spec:
          image: x:1
          processes:
          - {name: worker, command: [celery, worker], autoscaling: {maxReplicas: 3,
             targetCPUUtilizationPercentage: 80}}
          - {name: beat, command: [celery, beat], singleton: true}
          schedules:
          - {name: clearsessions, schedule: "@daily", command: [python, manage.py, clearsessions]}
        """,
                DjangoApp.class)
            .getSpec();
    app.getSpec().processes = celery.processes;
    app.getSpec().schedules = celery.schedules;
    var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
    client.resource(app).create();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
              assertThat(status).isNotNull();
              assertThat(Conditions.isTrue(status.conditions, Conditions.READY))
                  .as("%s", status.conditions)
                  .isTrue();
              assertThat(Conditions.isTrue(status.conditions, Conditions.SUPERUSER_CREATED))
                  .isTrue();
              assertThat(status.tls.stage).isEqualTo("Production");
              assertThat(status.tls.phase).isEqualTo("Ready");
            });
    ledger.close();
    assertThat(ledger.orders(RealCertManager.PRODUCTION)).isPositive();
    ledger.assertNoProductionOrderBeforeStaging();
    // the operator's own Events (the controllers write Events into the namespace too)
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().list().getItems())
                    .filteredOn(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent()))
                    .extracting(Event::getReason)
                    .contains("Ready", "Promoted"));

    // java-operator-sdk updates a ConfigMap by PUT (it applies only the other kinds).
    Edits.edit(
        client,
        "polls",
        edited -> {
          edited.getSpec().settings.logLevel = SettingsSpec.LogLevel.debug;
          return edited;
        });
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "debug"
                    .equals(
                        client
                            .configMaps()
                            .withName("polls-settings")
                            .get()
                            .getData()
                            .get("DJANGO_LOGLEVEL")));
    assertThat(client.apps().statefulSets().withName("polls-beat").get()).isNotNull();
    assertThat(client.batch().v1().cronjobs().withName("polls-clearsessions").get()).isNotNull();
    assertThat(client.policy().v1().podDisruptionBudget().withName("polls").get()).isNotNull();

    // Removed from the spec: deleted.
    Edits.edit(
        client,
        "polls",
        edited -> {
          edited.getSpec().processes = null;
          edited.getSpec().schedules = null;
          edited.getSpec().replicas = 1;
          return edited;
        });
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(client.apps().deployments().withName("polls-worker").get()).isNull();
              assertThat(client.apps().statefulSets().withName("polls-beat").get()).isNull();
              assertThat(client.batch().v1().cronjobs().withName("polls-clearsessions").get())
                  .isNull();
              assertThat(
                      client
                          .autoscaling()
                          .v2()
                          .horizontalPodAutoscalers()
                          .withName("polls-worker")
                          .get())
                  .isNull();
              assertThat(client.policy().v1().podDisruptionBudget().withName("polls").get())
                  .isNull();
            });
  }

  /** fabric8 renews the Lease with a merge patch. */
  @Test
  void theLeaderCanRenewItsLease(KubernetesClient client) {
    for (var verb : List.of("get", "create", "update", "patch")) {
      assertThat(allowed(client, "django-operator", verb + " leases.coordination.k8s.io"))
          .as(verb)
          .isTrue();
    }
    assertThat(allowed(client, "django-operator", "delete leases.coordination.k8s.io")).isFalse();
  }

  @Test
  void verbsTheOperatorDoesNotNeedAreNotGranted(KubernetesClient client, TestNamespace ns) {
    var granted =
        Map.of(
            "patch deployments.apps", true,
            "create jobs.batch", true,
            "watch certificates.cert-manager.io", true,
            "watch certificaterequests.cert-manager.io", true,
            "list orders.acme.cert-manager.io", true,
            "watch challenges.acme.cert-manager.io", true,
            "patch challenges.acme.cert-manager.io", false,
            "patch djangoapps.django.operators.dev/status", true,
            // No ConfigMap is ever deleted: the settings ConfigMap goes with its app (owner
            // reference), and no earlier name of it was ever released.
            "delete configmaps", false,
            // The app's pods are read, to name why they cannot start.
            "watch pods", true);
    // Processes, schedules, autoscalers and the disruption budget are applied, and deleted when
    // removed from the spec or turned off.
    var children =
        List.of(
            "delete deployments.apps",
            "patch statefulsets.apps",
            "delete statefulsets.apps",
            "patch cronjobs.batch",
            "delete cronjobs.batch",
            "patch horizontalpodautoscalers.autoscaling",
            "delete horizontalpodautoscalers.autoscaling",
            "patch poddisruptionbudgets.policy",
            "delete poddisruptionbudgets.policy");
    for (var verbResource : children) {
      assertThat(allowed(client, ns, verbResource)).as(verbResource).isTrue();
    }
    var denied =
        List.of(
            "update certificates.cert-manager.io",
            "delete certificates.cert-manager.io",
            "patch djangoapps.django.operators.dev",
            "delete djangoapps.django.operators.dev",
            "delete secrets",
            "create pods/exec",
            "delete pods",
            "create pods",
            "update deployments.apps",
            "update statefulsets.apps",
            "update cronjobs.batch",
            "create deployments.apps/scale",
            "update horizontalpodautoscalers.autoscaling",
            "update jobs.batch",
            "create roles.rbac.authorization.k8s.io",
            "escalate clusterroles.rbac.authorization.k8s.io",
            "impersonate users");
    granted.forEach(
        (verbResource, expected) ->
            assertThat(allowed(client, ns, verbResource)).as(verbResource).isEqualTo(expected));
    for (var verbResource : denied) {
      assertThat(allowed(client, ns, verbResource)).as(verbResource).isFalse();
    }
  }

  @Test
  void theClusterRoleHasNoWildcards(KubernetesClient client) {
    var role = client.rbac().clusterRoles().withName("django-operator").get();
    assertThat(role).isNotNull();
    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getApiGroups()).doesNotContain("*");
            });
  }

  private static boolean allowed(KubernetesClient client, TestNamespace ns, String verbResource) {
    return allowed(client, ns.name(), verbResource);
  }

  private static boolean allowed(KubernetesClient client, String namespace, String verbResource) {
    var parts = verbResource.split(" ");
    var resource = parts[1].split("/");
    var groupSplit = resource[0].indexOf('.');
    var name = groupSplit < 0 ? resource[0] : resource[0].substring(0, groupSplit);
    var group = groupSplit < 0 ? "" : resource[0].substring(groupSplit + 1);
    var review =
        client
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(SERVICE_ACCOUNT)
                    .withGroups(
                        "system:serviceaccounts",
                        "system:serviceaccounts:django-operator",
                        "system:authenticated")
                    .withNewResourceAttributes()
                    .withNamespace(namespace)
                    .withVerb(parts[0])
                    .withGroup(group)
                    .withResource(name)
                    .withSubresource(resource.length > 1 ? resource[1] : null)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }
}
