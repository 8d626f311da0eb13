package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A schedule's latest run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleStatus {

  @JsonPropertyDescription("The schedule's name, as in spec.schedules.")
  public String name;

  @JsonPropertyDescription("When the CronJob last started a run.")
  public String lastScheduleTime;

  @JsonPropertyDescription("The Job of the latest run (kubectl logs job/<name>).")
  public String lastJob;

  @JsonPropertyDescription("How the latest run went: Running, Succeeded or Failed.")
  public String lastResult;

  @JsonPropertyDescription("When the latest run started.")
  public String lastStartTime;

  @JsonPropertyDescription("When the latest run finished, if it did.")
  public String lastCompletionTime;

  @JsonPropertyDescription("Why the latest run failed, in the Job's words.")
  public String lastFailureMessage;
}
