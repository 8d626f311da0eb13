package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A process's pods, as its Deployment or StatefulSet reports them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProcessStatus {

  @JsonPropertyDescription("The process's name, as in spec.processes.")
  public String name;

  @JsonPropertyDescription("Deployment, or StatefulSet for a singleton.")
  public String kind;

  @JsonPropertyDescription("Pods wanted: the spec's replicas, or the autoscaler's choice.")
  public Integer replicas;

  @JsonPropertyDescription("Pods that are ready.")
  public Integer readyReplicas;

  @JsonPropertyDescription("The image the process runs: the web's, once migrated.")
  public String image;
}
