package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.api.ProcessStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The processes' part of the status, pure functions of their Deployments and StatefulSets:
 * status.processes, the one-line summary for kubectl, and the ProcessesAvailable condition. A
 * process that is not available, or still rolling out, also holds Ready back, with a message that
 * names it: the app is not fully running while its worker is not ({@link StatusConditions#ready}).
 */
public final class ProcessAvailability {
  public static final String PROCESSES_AVAILABLE = "ProcessesAvailable";

  private ProcessAvailability() {}

  /** One process, as observed. {@code pending} says what it waits for; empty: it is running. */
  record ProcessFacts(ProcessStatus status, Optional<String> pending, boolean available) {}

  /**
   * Each process of the spec, in its order, from its Deployment or StatefulSet; a process that is
   * not available is given the reason of its first pod that cannot start, in the kubelet's words
   * ({@link WorkloadFailures}). Empty when the spec has no processes.
   */
  static List<ProcessFacts> of(DjangoApp app, Workers workers) {
    var processes = app.getSpec().processes;
    if (processes == null || processes.isEmpty()) {
      return List.of();
    }
    Map<String, Deployment> byNameD = index(workers.deployments());
    Map<String, StatefulSet> byNameS = index(workers.statefulSets());
    var observed = new ArrayList<ProcessFacts>();
    for (var process : processes) {
      var name = DjangoAppResources.process(app, process.name);
      var one =
          Boolean.TRUE.equals(process.singleton)
              ? ofStatefulSet(process.name, byNameS.get(name))
              : ofDeployment(process.name, byNameD.get(name));
      observed.add(one.available() ? one : withFailure(one, process.name, workers.pods()));
    }
    return observed;
  }

  /** status.processes; null without processes. */
  static List<ProcessStatus> statuses(List<ProcessFacts> observed) {
    return observed.isEmpty() ? null : observed.stream().map(ProcessFacts::status).toList();
  }

  /** status.processSummary, e.g. "worker 2/2, beat 1/1"; null without processes. */
  static String summary(List<ProcessFacts> observed) {
    return observed.isEmpty()
        ? null
        : observed.stream()
            .map(o -> o.status().name + " " + o.status().readyReplicas + "/" + o.status().replicas)
            .collect(Collectors.joining(", "));
  }

  /** ProcessesAvailable; empty without processes. */
  static Optional<Conditions.Verdict> available(List<ProcessFacts> observed) {
    if (observed.isEmpty()) {
      return Optional.empty();
    }
    var unavailable = observed.stream().filter(o -> !o.available()).toList();
    return Optional.of(
        new Conditions.Verdict(
            unavailable.isEmpty(),
            unavailable.isEmpty() ? "Available" : "ProcessUnavailable",
            unavailable.isEmpty()
                ? "Every process has its pods ready: " + summary(observed) + "."
                : messages(unavailable)));
  }

  /** Why the processes hold an otherwise Ready app back; empty when every one runs. */
  static Optional<Problem> holdReadyBack(List<ProcessFacts> observed) {
    var pending = observed.stream().filter(o -> o.pending().isPresent()).toList();
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    var unavailable = observed.stream().filter(o -> !o.available()).toList();
    boolean down = !unavailable.isEmpty();
    return Optional.of(
        new Problem(
            down ? "ProcessUnavailable" : "RollingOut", messages(down ? unavailable : pending)));
  }

  private static String messages(List<ProcessFacts> observed) {
    return observed.stream()
        .map(o -> "Process " + o.status().name + ": " + o.pending().orElse("not available"))
        .collect(Collectors.joining("; "));
  }

  /** The process's pending message with why its first failing pod cannot start, if one is. */
  private static ProcessFacts withFailure(
      ProcessFacts observed, String process, Collection<Pod> pods) {
    var failure =
        WorkloadFailures.of(
            pods.stream()
                .filter(
                    p ->
                        p.getMetadata().getLabels() != null
                            && process.equals(
                                p.getMetadata().getLabels().get(DjangoAppResources.PROCESS_LABEL)))
                .toList(),
            null);
    return failure
        .map(
            f ->
                new ProcessFacts(
                    observed.status(),
                    Optional.of(
                        observed.pending().orElse("not available") + " " + f.message() + "."),
                    observed.available()))
        .orElse(observed);
  }

  static ProcessFacts ofDeployment(String process, Deployment deployment) {
    var status = new ProcessStatus();
    status.name = process;
    status.kind = "Deployment";
    if (deployment == null) {
      status.replicas = 0;
      status.readyReplicas = 0;
      return new ProcessFacts(
          status, Optional.of("its Deployment has not been created yet."), false);
    }
    var observed = deployment.getStatus();
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    int ready = observed == null ? 0 : Objects.requireNonNullElse(observed.getReadyReplicas(), 0);
    status.replicas = desired;
    status.readyReplicas = ready;
    status.image = image(deployment.getSpec().getTemplate());
    var rollout = WebDeployment.rolloutInProgress(deployment);
    // The Deployment controller's own judgement: ready pods within its rolling update's margin.
    boolean available =
        observed != null
            && observed.getConditions() != null
            && observed.getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    return new ProcessFacts(
        status,
        rollout.or(
            () ->
                ready < desired
                    ? Optional.of(ready + " of " + desired + " pods ready.")
                    : Optional.empty()),
        available);
  }

  static ProcessFacts ofStatefulSet(String process, StatefulSet set) {
    var status = new ProcessStatus();
    status.name = process;
    status.kind = "StatefulSet";
    if (set == null) {
      status.replicas = 0;
      status.readyReplicas = 0;
      return new ProcessFacts(
          status, Optional.of("its StatefulSet has not been created yet."), false);
    }
    var observed = set.getStatus();
    int desired = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
    int ready = observed == null ? 0 : Objects.requireNonNullElse(observed.getReadyReplicas(), 0);
    status.replicas = desired;
    status.readyReplicas = ready;
    status.image = image(set.getSpec().getTemplate());
    Optional<String> pending;
    if (observed == null
        || observed.getObservedGeneration() == null
        || observed.getObservedGeneration() < set.getMetadata().getGeneration()) {
      pending = Optional.of("the StatefulSet controller has not observed the latest spec yet.");
    } else if (observed.getUpdateRevision() != null
        && !observed.getUpdateRevision().equals(observed.getCurrentRevision())) {
      pending = Optional.of("its pod is being replaced (the old one must be gone first).");
    } else if (ready < desired) {
      pending = Optional.of(ready + " of " + desired + " pods ready.");
    } else {
      pending = Optional.empty();
    }
    return new ProcessFacts(status, pending, ready >= desired);
  }

  private static String image(PodTemplateSpec template) {
    return template.getSpec().getContainers().get(0).getImage();
  }

  private static <R extends HasMetadata> Map<String, R> index(Collection<R> children) {
    return children.stream()
        .collect(
            Collectors.toMap(c -> c.getMetadata().getName(), Function.identity(), (a, b) -> a));
  }
}
