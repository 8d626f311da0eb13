package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed. A report for people and tools, never the record of a decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DjangoAppStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Ready summarises the app; Available, Reconciling and Stalled (kstatus)"
          + " explain it, with CamelCase reasons and messages.")
  public List<Condition> conditions = new ArrayList<>();

  @StatusReplicas
  @JsonPropertyDescription("Pods of the Deployment.")
  public Integer replicas;

  @JsonPropertyDescription("Pods that are ready.")
  public Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the pods, for the scale subresource (HPA).")
  public String selector;

  @JsonPropertyDescription(
      "Where the app is served: https://host, http://host, or the in-cluster"
          + " Service URL when there is no ingress.")
  public String url;

  @JsonPropertyDescription("The image the Deployment runs.")
  public String image;

  @JsonPropertyDescription("The last image whose migrations (and collectstatic) succeeded.")
  public String migratedImage;

  @JsonPropertyDescription("The TLS certificate: stage, phase, issuer, name and expiry.")
  public TlsStatus tls;

  @JsonPropertyDescription(
      "Where the container's environment comes from: which"
          + " DJANGO_SECRET_KEY is in use, and which envFrom variables the spec overrides.")
  public EnvironmentStatus environment;

  @JsonPropertyDescription("Each process's pods: wanted and ready, kind and image.")
  public List<ProcessStatus> processes;

  @JsonPropertyDescription(
      "The processes at a glance, ready/wanted, e.g. 'worker 2/2, beat 1/1'"
          + " (kubectl get djangoapp -o wide).")
  public String processSummary;

  @JsonPropertyDescription("Each schedule's latest run: its Job, when, and how it went.")
  public List<ScheduleStatus> schedules;
}
