package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/** What an app team writes. The API classes are plain data; behaviour lives elsewhere. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.allowMutableTag) && self.allowMutableTag)"
            + " || self.image.matches('@sha256:[a-f0-9]{64}$')"
            + " || self.image.matches('^[^@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$')",
    message =
        "image must be pinned by a tag or a digest, for example"
            + " docker.io/sammy/sammy-django:1.0.0 or ...@sha256:<digest>"
            + " (set allowMutableTag: true to accept an untagged image)",
    fieldPath = ".image")
@ValidationRule(
    value =
        "(has(self.allowMutableTag) && self.allowMutableTag) || !self.image.endsWith(':latest')",
    message =
        "the 'latest' tag is mutable, cannot be rolled back, and would run migrations only once;"
            + " pin a version (set allowMutableTag: true to accept it anyway)",
    fieldPath = ".image")
@ValidationRule(
    value = "!has(self.autoscaling) || !has(self.replicas)",
    message =
        "set either replicas or autoscaling, not both: the autoscaler owns the web's replicas",
    fieldPath = ".replicas")
@ValidationRule(
    value =
        "!has(self.processes) || self.processes.all(p, self.processes.exists_one(q, q.name == p.name))",
    message = "each process needs its own name",
    fieldPath = ".processes")
@ValidationRule(
    value =
        "!has(self.schedules) || self.schedules.all(s, self.schedules.exists_one(t, t.name == s.name))",
    message = "each schedule needs its own name",
    fieldPath = ".schedules")
public class DjangoAppSpec {

  @Required
  @Size(min = 1, max = 512)
  @ValidationRule(
      value = "self.matches('" + Grammar.IMAGE + "')",
      message =
          "image must be an image reference such as registry.example.com/team/app:1.0.0"
              + " or docker.io/sammy/sammy-django@sha256:<64 hex digits>: lower-case repository path,"
              + " no spaces, one ':' before the tag")
  @JsonPropertyDescription(
      "Container image of the Django application, pinned by tag or digest,"
          + " e.g. docker.io/sammy/sammy-django:1.0.0. It must run gunicorn on port 8000.")
  public String image;

  @JsonPropertyDescription(
      "Accept an image without a tag, or tagged 'latest'. Such an image cannot"
          + " be rolled back, and migrations run once per image reference. Default false.")
  public Boolean allowMutableTag;

  @Min(0)
  @Max(1000)
  @SpecReplicas
  @JsonPropertyDescription(
      "Number of gunicorn pods. Leave unset when a HorizontalPodAutoscaler"
          + " scales the Deployment, so that the operator does not fight it; the Deployment then starts"
          + " with 1. An HPA may also target the DjangoApp itself through its scale subresource.")
  public Integer replicas;

  @JsonPropertyDescription("Non-secret Django settings, delivered through the app's ConfigMap.")
  public SettingsSpec settings;

  @JsonPropertyDescription("The database the app connects to (DATABASE_* variables).")
  public DatabaseSpec database;

  @JsonPropertyDescription("S3-compatible storage for static files (STATIC_* variables).")
  public StaticFilesSpec staticFiles;

  @JsonPropertyDescription(
      "Take DJANGO_SECRET_KEY from an existing Secret instead of a generated" + " one.")
  public SecretKeySpec secretKey;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Existing ConfigMaps and Secrets whose keys become environment"
          + " variables, like a container's envFrom (e.g. the tutorial's polls-secret). They take"
          + " precedence over the generated ConfigMap; the variables from database, staticFiles and"
          + " secretKey take precedence over them.")
  public List<EnvFromSpec> envFrom = new ArrayList<>();

  @JsonPropertyDescription("How the app is exposed inside the cluster.")
  public ServiceSpec service;

  @JsonPropertyDescription(
      "How the app is exposed outside the cluster. No Ingress is created" + " when this is absent.")
  public IngressSpec ingress;

  @JsonPropertyDescription(
      "python manage.py migrate --noinput, run once per image before any"
          + " pod of that image serves: the Deployment moves to a new image only after it succeeded.")
  public ManagementCommandSpec migrations;

  @JsonPropertyDescription(
      "python manage.py collectstatic --noinput, run once per image with the"
          + " storage environment, as part of the same gate. When the app has a static-files"
          + " bucket: staticFiles, or STATIC_BUCKET_NAME from its own envFrom sources.")
  public ManagementCommandSpec collectStatic;

  @JsonPropertyDescription("Create a Django superuser from a Secret, after migrations.")
  public SuperuserSpec superuser;

  @JsonPropertyDescription("Retries, deadline and history of the management Jobs.")
  public JobsSpec jobs;

  @JsonPropertyDescription(
      "Readiness and liveness probes. TCP on port 8000 unless httpPath is set.")
  public ProbesSpec probes;

  @Min(1)
  @Max(2147483647)
  @JsonPropertyDescription(
      "A numeric user id for the pods, for images whose USER is a name or"
          + " root: the pods always run with runAsNonRoot, no privilege escalation, all capabilities"
          + " dropped and the RuntimeDefault seccomp profile (the restricted Pod Security Standard).")
  public Long runAsUser;

  @ValidationRule(
      value = "!has(self.claims)",
      message =
          "resources.claims (dynamic resource allocation) is not supported; set only"
              + " requests and limits")
  @JsonPropertyDescription(
      "CPU and memory of the gunicorn container. Default: requests 100m CPU"
          + " and 256Mi memory, limit 512Mi memory.")
  public ResourceRequirements resources;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Long-running processes from the app's image besides gunicorn, e.g. a"
          + " Celery worker and beat. They run with exactly the web pods' environment and move to a"
          + " new image together with the web, only once its migrations succeeded. No Service and no"
          + " Ingress.")
  public List<ProcessSpec> processes;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Commands on a cron schedule (CronJobs), e.g. python manage.py"
          + " clearsessions daily, run in the migrated image with the web pods' environment. Each"
          + " run's outcome is in status.schedules; a failed run is a Warning Event on the app.")
  public List<ScheduleSpec> schedules;

  @JsonPropertyDescription(
      "Scale the web Deployment with a HorizontalPodAutoscaler (autoscaling/v2)"
          + " instead of replicas; the operator then leaves the Deployment's replicas to it.")
  public AutoscalingSpec autoscaling;

  @JsonPropertyDescription(
      "A PodDisruptionBudget and topology spread for the web pods, both on"
          + " by default; each can be turned off.")
  public AvailabilitySpec availability;
}
