package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Bounds on the migrate, collectstatic and createsuperuser Jobs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobsSpec {

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed step before it counts as failed. Default 1.")
  public Integer backoffLimit;

  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a step may run in total before it counts as failed. Default" + " 900.")
  public Long activeDeadlineSeconds;

  @Min(1)
  @Max(20)
  @JsonPropertyDescription("Finished Jobs kept per step, for their logs. Default 3.")
  public Integer historyLimit;
}
