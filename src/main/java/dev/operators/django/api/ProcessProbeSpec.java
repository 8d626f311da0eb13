package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A probe of a process's container: a command, or an HTTP GET on a port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.command) != has(self.httpPath)",
    message = "set exactly one of command (an exec probe) and httpPath (an HTTP probe)")
@ValidationRule(
    value = "!has(self.httpPath) || has(self.port)",
    message = "an HTTP probe needs the port the process listens on",
    fieldPath = ".port")
public class ProcessProbeSpec {

  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "A command run in the container; exit status 0 is success, e.g."
          + " [celery, -A, mysite, inspect, ping, -d, celery@$(HOSTNAME)] through a shell.")
  public List<String> command;

  @Size(max = 256)
  @Pattern("^/\\S*$")
  @JsonPropertyDescription("An HTTP path answered with a 2xx or 3xx status, on port.")
  public String httpPath;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The container port of the HTTP probe.")
  public Integer port;

  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds after the container starts before the first probe. Default 0.")
  public Integer initialDelaySeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds between probes. Default 30.")
  public Integer periodSeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds a probe may take. Default 10 (a Celery ping is slow).")
  public Integer timeoutSeconds;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Consecutive failures that count as failed. Default 3.")
  public Integer failureThreshold;
}
