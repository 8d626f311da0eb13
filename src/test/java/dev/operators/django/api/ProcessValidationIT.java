package dev.operators.django.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Processes, schedules, autoscaling and availability: refused at admission, with messages. */
@WithCluster
class ProcessValidationIT {
  static final String W = "{name: worker, command: [celery, worker]";

  @BeforeEach
  void installCrd(Cluster cluster) {
    OperatorExtension.installCrd(cluster);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      reserved name        | {image: 'app:1.0', processes: [{name: web, command: [x]}]} | web, schedule, migrate, static, superuser and tls name the app's own components
      upper-case name      | {image: 'app:1.0', processes: [{name: Worker, command: [x]}]} | should match
      no command           | {image: 'app:1.0', processes: [{name: worker}]} | Required value
      duplicate process    | {image: 'app:1.0', processes: [{name: w, command: [x]}, {name: w, command: [y]}]} | each process needs its own name
      singleton of two     | {image: 'app:1.0', processes: [{name: beat, command: [x], singleton: true, replicas: 2}]} | a singleton process runs at most one pod
      autoscaled singleton | {image: 'app:1.0', processes: [{name: beat, command: [x], singleton: true, autoscaling: {maxReplicas: 3, targetCPUUtilizationPercentage: 50}}]} | a singleton process runs exactly one pod
      replicas and autoscaling | {image: 'app:1.0', processes: [{name: w, command: [x], replicas: 2, autoscaling: {maxReplicas: 3, targetCPUUtilizationPercentage: 50}}]} | set either replicas or autoscaling, not both
      probe with both      | {image: 'app:1.0', processes: [{name: w, command: [x], livenessProbe: {command: [x], httpPath: /, port: 80}}]} | set exactly one of command (an exec probe) and httpPath
      http probe no port   | {image: 'app:1.0', processes: [{name: w, command: [x], readinessProbe: {httpPath: /healthz}}]} | an HTTP probe needs the port
      web replicas and autoscaling | {image: 'app:1.0', replicas: 2, autoscaling: {maxReplicas: 3, targetCPUUtilizationPercentage: 50}} | set either replicas or autoscaling, not both
      min above max        | {image: 'app:1.0', autoscaling: {minReplicas: 4, maxReplicas: 3, targetCPUUtilizationPercentage: 50}} | minReplicas must not exceed maxReplicas
      no metric            | {image: 'app:1.0', autoscaling: {maxReplicas: 3}} | the autoscaler needs a metric
      duplicate schedule   | {image: 'app:1.0', schedules: [{name: s, schedule: '@daily', command: [x]}, {name: s, schedule: '@hourly', command: [y]}]} | each schedule needs its own name
      TZ in schedule       | {image: 'app:1.0', schedules: [{name: s, schedule: 'CRON_TZ=UTC 0 * * * *', command: [x]}]} | set the time zone in timeZone
      bad policy           | {image: 'app:1.0', schedules: [{name: s, schedule: '@daily', command: [x], concurrencyPolicy: Sometimes}]} | Unsupported value: "Sometimes"
      short deadline       | {image: 'app:1.0', schedules: [{name: s, schedule: '@daily', command: [x], startingDeadlineSeconds: 5}]} | should be greater than or equal to 10
      schedule claims      | {image: 'app:1.0', schedules: [{name: s, schedule: '@daily', command: [x], resources: {claims: [{name: gpu}]}}]} | resources.claims (dynamic resource allocation) is not supported
      """)
  void rejects(String name, String spec, String message, KubernetesClient client) {
    var yaml =
        "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
            + "metadata: {name: app}\nspec: "
            + spec
            + "\n";
    assertThatThrownBy(() -> client.resource(yaml).fieldManager("kubectl").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage()).contains(message);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "processes: [{name: abcdefghijkl, command: [x]}]",
        "schedules: [{name: abcdefghijkl, schedule: '@daily', command: [x]}]"
      })
  void rejectsChildNamesTooLongWithTheAppsName(String field, KubernetesClient client) {
    // 40 + 1 + 12 = 53 characters: one more than a CronJob may have.
    var app = "a".repeat(40);
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        "apiVersion: django.operators.dev/v1alpha1\n"
                            + "kind: DjangoApp\nmetadata: {name: "
                            + app
                            + "}\nspec: {image: 'app:1.0', "
                            + field
                            + "}\n")
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getStatus().getMessage()).contains("at most 51 characters"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{image: 'app:1.0', processes: ["
            + W
            + ", replicas: 3}, {name: beat, command: [celery,"
            + " beat], singleton: true}]}",
        "{image: 'app:1.0', processes: ["
            + W
            + ", autoscaling: {minReplicas: 2, maxReplicas: 10,"
            + " targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80}}]}",
        "{image: 'app:1.0', processes: ["
            + W
            + ", livenessProbe: {command: [sh, -c, 'celery"
            + " inspect ping']}, readinessProbe: {httpPath: /ready, port: 9000}}]}",
        "{image: 'app:1.0', autoscaling: {maxReplicas: 5, targetMemoryUtilizationPercentage: 80},"
            + " availability: {disruptionBudget: false, topologySpread: false}}",
        "{image: 'app:1.0', schedules: [{name: clearsessions, schedule: '17 3 * * *', timeZone:"
            + " Europe/Paris, command: [python, manage.py, clearsessions], concurrencyPolicy:"
            + " Replace, suspend: true, startingDeadlineSeconds: 600}]}",
      })
  void accepts(String spec, KubernetesClient client) {
    var created =
        client
            .resource(
                "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
                    + "metadata: {name: app}\nspec: "
                    + spec
                    + "\n")
            .create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }
}
