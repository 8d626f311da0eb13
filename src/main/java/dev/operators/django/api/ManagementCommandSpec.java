package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A manage.py step the operator runs as a Job with the app's image and environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagementCommandSpec {

  @JsonPropertyDescription("Run this step. Default true.")
  public Boolean enabled;

  @Size(min = 1, max = 32)
  @JsonPropertyDescription("The container command, overriding the default manage.py invocation.")
  public List<String> command;
}
