package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** A long-running process from the app's image besides gunicorn: a Celery worker, a beat. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.singleton) && self.singleton) || !has(self.autoscaling)",
    message = "a singleton process runs exactly one pod: remove autoscaling or singleton",
    fieldPath = ".autoscaling")
@ValidationRule(
    value = "!(has(self.singleton) && self.singleton) || !has(self.replicas) || self.replicas <= 1",
    message =
        "a singleton process runs at most one pod: set replicas to 0 or 1, or remove"
            + " singleton",
    fieldPath = ".replicas")
@ValidationRule(
    value = "!has(self.autoscaling) || !has(self.replicas)",
    message = "set either replicas or autoscaling, not both: the autoscaler owns the replicas",
    fieldPath = ".replicas")
public class ProcessSpec {

  @Required
  @Size(min = 1, max = 40)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(
      value = "!(self in ['web', 'schedule', 'migrate', 'static', 'superuser', 'tls'])",
      message =
          "web, schedule, migrate, static, superuser and tls name the app's own components;"
              + " choose another process name")
  @JsonPropertyDescription(
      "The process's name, a DNS label such as worker or beat. Its"
          + " Deployment (or StatefulSet) is named <app>-<name>, and its pods carry"
          + " app.kubernetes.io/component=<name>.")
  public String name;

  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "The container command, e.g. [celery, -A, mysite, worker]. It runs in"
          + " the app's image with exactly the web pods' environment.")
  public List<String> command;

  @Size(max = 64)
  @JsonPropertyDescription("Arguments appended to the command.")
  public List<String> args;

  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Number of pods. Default 1. Leave unset with autoscaling.")
  public Integer replicas;

  @JsonPropertyDescription(
      "Never run two pods of this process at once, not during a rollout and"
          + " not when a node stops answering (a Celery beat, which would otherwise schedule every"
          + " periodic task twice). It runs as a StatefulSet of one pod: a replacement starts only"
          + " once the old pod is known to be gone, so after a node failure it waits until the node"
          + " returns or is removed from the cluster. Default false.")
  public Boolean singleton;

  @JsonPropertyDescription(
      "Scale the process with a HorizontalPodAutoscaler instead of a fixed"
          + " number of replicas.")
  public AutoscalingSpec autoscaling;

  @ValidationRule(
      value = "!has(self.claims)",
      message =
          "resources.claims (dynamic resource allocation) is not supported; set only"
              + " requests and limits")
  @JsonPropertyDescription(
      "CPU and memory of the container. Default: those of the web"
          + " container (spec.resources or its default).")
  public ResourceRequirements resources;

  @JsonPropertyDescription("A readiness probe. Without it a running container counts as ready.")
  public ProcessProbeSpec readinessProbe;

  @JsonPropertyDescription(
      "A liveness probe: the container is restarted when it fails. Without"
          + " it only a crash restarts it.")
  public ProcessProbeSpec livenessProbe;
}
