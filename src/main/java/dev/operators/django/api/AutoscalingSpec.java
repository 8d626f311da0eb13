package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A HorizontalPodAutoscaler (autoscaling/v2) on the web Deployment or a process. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not exceed maxReplicas",
    fieldPath = ".minReplicas")
@ValidationRule(
    value =
        "has(self.targetCPUUtilizationPercentage)"
            + " || has(self.targetMemoryUtilizationPercentage)",
    message =
        "set targetCPUUtilizationPercentage, targetMemoryUtilizationPercentage or both:"
            + " the autoscaler needs a metric")
public class AutoscalingSpec {

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("The fewest pods. Default 1.")
  public Integer minReplicas;

  @Required
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("The most pods.")
  public Integer maxReplicas;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Average CPU use to aim at, in percent of the pods' CPU request.")
  public Integer targetCPUUtilizationPercentage;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Average memory use to aim at, in percent of the pods' memory" + " request.")
  public Integer targetMemoryUtilizationPercentage;
}
