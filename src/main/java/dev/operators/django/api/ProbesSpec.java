package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Readiness and liveness probes of the gunicorn container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbesSpec {

  @Size(max = 256)
  @Pattern("^/\\S*$")
  @JsonPropertyDescription("An HTTP path, e.g. /healthz, probed with the ingress host as the Host"
      + " header so that ALLOWED_HOSTS accepts it. Without it, the probes open a TCP connection.")
  public String httpPath;
}
