package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.AutoscalingSpec;
import dev.operators.django.api.AvailabilitySpec;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.ProcessProbeSpec;
import dev.operators.django.api.ProcessSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.testing.TestApps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The processes' Deployments and StatefulSets, and the autoscalers, built without a cluster. */
class ProcessChildrenTest {
  static final String MIGRATED = "docker.io/sammy/sammy-django:1.0.0";

  static DjangoApp celery() {
    var app = TestApps.polls();
    app.getSpec().image = "docker.io/sammy/sammy-django:1.1.0"; // not migrated yet
    app.getSpec().processes =
        new ArrayList<>(
            List.of(
                process("worker", false, List.of("celery", "-A", "mysite", "worker")),
                process("beat", true, List.of("celery", "-A", "mysite", "beat"))));
    return app;
  }

  static ProcessSpec process(String name, boolean singleton, List<String> command) {
    var p = new ProcessSpec();
    p.name = name;
    p.singleton = singleton ? true : null;
    p.command = command;
    return p;
  }

  static AppInputs gated() {
    return new AppInputs(
        OperatorSettings.defaults(),
        ObservedReferences.none(),
        Optional.empty(),
        Optional.of(MIGRATED),
        HostDecision.NONE);
  }

  @Test
  void workersRunTheGatedImageWithTheWebsEnvironmentAndConfigHash() {
    var app = celery();
    var web = DeploymentDependent.build(app, gated(), Optional.of("key-uid"));
    var workers = ProcessDeploymentDependent.build(app, gated(), Optional.of("key-uid"));
    assertThat(workers).containsOnlyKeys("polls-worker");
    var worker = workers.get("polls-worker");
    var container = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
    var webContainer = web.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(MIGRATED).isEqualTo(webContainer.getImage());
    assertThat(container.getCommand()).containsExactly("celery", "-A", "mysite", "worker");
    assertThat(container.getEnv()).isEqualTo(webContainer.getEnv());
    assertThat(container.getEnvFrom()).isEqualTo(webContainer.getEnvFrom());
    assertThat(container.getSecurityContext()).isEqualTo(webContainer.getSecurityContext());
    assertThat(container.getPorts()).isEmpty();
    assertThat(container.getReadinessProbe()).isNull();
    assertThat(worker.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(web.getSpec().getTemplate().getMetadata().getAnnotations());
    assertThat(worker.getSpec().getTemplate().getSpec().getSecurityContext())
        .isEqualTo(web.getSpec().getTemplate().getSpec().getSecurityContext());
    assertThat(worker.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isFalse();
    assertThat(worker.getSpec().getReplicas()).isEqualTo(1);
    assertThat(worker.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "worker")
        .containsEntry("django.operators.dev/process", "worker")
        .containsEntry("app.kubernetes.io/instance", "polls");
    assertThat(worker.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "django-operator");
  }

  @Test
  void aSingletonIsAStatefulSetOfOnePodThatReplacesItsPodOnlyOnceItIsGone() {
    var app = celery();
    var sets = SingletonStatefulSetDependent.build(app, gated(), Optional.empty());
    assertThat(sets).containsOnlyKeys("polls-beat");
    var beat = sets.get("polls-beat");
    assertThat(beat.getSpec().getReplicas()).isEqualTo(1);
    assertThat(beat.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    assertThat(beat.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    var pod = beat.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(MIGRATED);
    assertThat(pod.getTopologySpreadConstraints()).as("one pod is not spread").isNullOrEmpty();
    assertThat(ProcessDeploymentDependent.build(app, gated(), Optional.empty()))
        .doesNotContainKey("polls-beat");
  }

  @Test
  void probesAreExecOrHttp() {
    var app = celery();
    var exec = new ProcessProbeSpec();
    exec.command = List.of("celery", "inspect", "ping");
    var http = new ProcessProbeSpec();
    http.httpPath = "/healthz";
    http.port = 9000;
    app.getSpec().processes.get(0).livenessProbe = exec;
    app.getSpec().processes.get(0).readinessProbe = http;
    var container =
        ProcessDeploymentDependent.build(app, gated(), Optional.empty())
            .get("polls-worker")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getLivenessProbe().getExec().getCommand())
        .containsExactly("celery", "inspect", "ping");
    assertThat(container.getLivenessProbe().getTimeoutSeconds()).isEqualTo(10);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
  }

  @Test
  void anAutoscaledProcessLeavesItsReplicasToTheAutoscaler() {
    var app = celery();
    var autoscaling = new AutoscalingSpec();
    autoscaling.minReplicas = 2;
    autoscaling.maxReplicas = 8;
    autoscaling.targetCPUUtilizationPercentage = 70;
    app.getSpec().processes.get(0).autoscaling = autoscaling;
    var worker =
        ProcessDeploymentDependent.build(app, gated(), Optional.empty()).get("polls-worker");
    assertThat(worker.getSpec().getReplicas()).isNull();
    var hpas = AutoscalerDependent.build(app);
    assertThat(hpas).containsOnlyKeys("polls-worker");
    var hpa = hpas.get("polls-worker").getSpec();
    assertThat(hpa.getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getScaleTargetRef().getName()).isEqualTo("polls-worker");
    assertThat(hpa.getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
  }

  @Test
  void theWebAutoscalerTargetsTheWebDeploymentAndTheDeploymentLeavesReplicasToIt() {
    var app = TestApps.polls();
    app.getSpec().replicas = null;
    var autoscaling = new AutoscalingSpec();
    autoscaling.maxReplicas = 5;
    autoscaling.targetCPUUtilizationPercentage = 60;
    autoscaling.targetMemoryUtilizationPercentage = 80;
    app.getSpec().autoscaling = autoscaling;
    var hpa = AutoscalerDependent.build(app).get("polls").getSpec();
    assertThat(hpa.getScaleTargetRef().getName()).isEqualTo("polls");
    assertThat(hpa.getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getMetrics())
        .extracting(m -> m.getResource().getName())
        .containsExactly("cpu", "memory");
    assertThat(DeploymentDependent.build(app, gated(), Optional.empty()).getSpec().getReplicas())
        .isNull();
    assertThat(AutoscalerDependent.build(TestApps.polls())).isEmpty();
  }

  @Test
  void webPodsAndWorkersSpreadAcrossNodesAndZonesUnlessTurnedOff() {
    var app = celery();
    var web = DeploymentDependent.build(app, gated(), Optional.empty());
    var spread = web.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    assertThat(spread)
        .extracting(c -> c.getTopologyKey())
        .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    assertThat(spread)
        .allSatisfy(
            c -> {
              assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
              assertThat(c.getLabelSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/component", "web");
              assertThat(c.getMatchLabelKeys()).containsExactly("pod-template-hash");
            });
    assertThat(
            ProcessDeploymentDependent.build(app, gated(), Optional.empty())
                .get("polls-worker")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints())
        .hasSize(2);

    app.getSpec().availability = new AvailabilitySpec();
    app.getSpec().availability.topologySpread = false;
    assertThat(
            DeploymentDependent.build(app, gated(), Optional.empty())
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints())
        .isNullOrEmpty();
  }

  @Test
  void theDisruptionBudgetExistsWhenTheWebCanHaveTwoPods() {
    var app = TestApps.polls(); // replicas: 2
    assertThat(DisruptionBudgetWanted.wanted(app)).isTrue();
    var pdb = WebDisruptionBudgetDependent.build(app).getSpec();
    assertThat(pdb.getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getMinAvailable()).isNull();
    assertThat(pdb.getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    assertThat(pdb.getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "web");

    app.getSpec().replicas = 1;
    assertThat(DisruptionBudgetWanted.wanted(app)).as("one replica").isFalse();
    app.getSpec().replicas = null;
    assertThat(DisruptionBudgetWanted.wanted(app)).as("unset replicas").isFalse();
    app.getSpec().autoscaling = new AutoscalingSpec();
    app.getSpec().autoscaling.maxReplicas = 1;
    assertThat(DisruptionBudgetWanted.wanted(app)).as("autoscaled up to 1").isFalse();
    app.getSpec().autoscaling.maxReplicas = 3;
    assertThat(DisruptionBudgetWanted.wanted(app)).as("autoscaled up to 3").isTrue();
    app.getSpec().availability = new AvailabilitySpec();
    app.getSpec().availability.disruptionBudget = false;
    assertThat(DisruptionBudgetWanted.wanted(app)).as("turned off").isFalse();
  }
}
