package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What keeps the web serving through node drains and node or zone failures; on by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AvailabilitySpec {

  @JsonPropertyDescription(
      "A PodDisruptionBudget of the web pods (maxUnavailable 1) whenever"
          + " the web can have two or more pods (replicas >= 2, or autoscaling with maxReplicas >= 2),"
          + " so that a node drain evicts them one at a time. Default true; false deletes it.")
  public Boolean disruptionBudget;

  @JsonPropertyDescription(
      "Spread the web pods (and those of processes that are not singletons)"
          + " across nodes and zones, as a preference (whenUnsatisfiable: ScheduleAnyway). Default"
          + " true; false removes the constraints, which rolls the pods.")
  public Boolean topologySpread;
}
