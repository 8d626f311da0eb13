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

/** A command on a cron schedule (python manage.py clearsessions, daily), as a CronJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {

  /** What a CronJob does when a run is due while the previous one still runs. */
  public enum ConcurrencyPolicy {
    Forbid,
    Allow,
    Replace
  }

  @Required
  @Size(min = 1, max = 40)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "The schedule's name, a DNS label such as clearsessions. Its CronJob"
          + " is named <app>-<name>; the app's name and this one together have at most 51"
          + " characters (a CronJob's limit).")
  public String name;

  @Required
  @Size(min = 5, max = 128)
  @ValidationRule(
      value = "!self.contains('TZ=')",
      message = "set the time zone in timeZone, not as TZ= or CRON_TZ= in the schedule")
  @JsonPropertyDescription(
      "When to run, in cron syntax: '17 3 * * *' is daily at 03:17;"
          + " the macros @hourly, @daily, @weekly, @monthly and @yearly are accepted too.")
  public String schedule;

  @Size(max = 64)
  @Pattern("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")
  @JsonPropertyDescription(
      "The IANA time zone of the schedule, e.g. Europe/Paris. Default: the"
          + " kube-controller-manager's (usually UTC).")
  public String timeZone;

  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "The container command, e.g. [python, manage.py, clearsessions]. It"
          + " runs in the migrated image with exactly the web pods' environment.")
  public List<String> command;

  @Size(max = 64)
  @JsonPropertyDescription("Arguments appended to the command.")
  public List<String> args;

  @JsonPropertyDescription(
      "Forbid (default): skip a run while the previous one still runs;"
          + " Allow: run them side by side; Replace: stop the previous run.")
  public ConcurrencyPolicy concurrencyPolicy;

  @JsonPropertyDescription("Stop starting runs; a run in progress goes on. Default false.")
  public Boolean suspend;

  @Min(10)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds after its time within which a missed run may still start"
          + " (after a controller outage, say); later it is skipped. Default 300.")
  public Long startingDeadlineSeconds;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Finished successful Jobs kept, for their logs. Default 3.")
  public Integer successfulJobsHistoryLimit;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Finished failed Jobs kept, for their logs. Default 3.")
  public Integer failedJobsHistoryLimit;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed run before it counts as failed. Default 0.")
  public Integer backoffLimit;

  @Min(30)
  @Max(604800)
  @JsonPropertyDescription("Seconds a run may take before it counts as failed. Default 3600.")
  public Long activeDeadlineSeconds;

  @ValidationRule(
      value = "!has(self.claims)",
      message =
          "resources.claims (dynamic resource allocation) is not supported; set only"
              + " requests and limits")
  @JsonPropertyDescription(
      "CPU and memory of the container. Default: those of the web" + " container.")
  public ResourceRequirements resources;
}
