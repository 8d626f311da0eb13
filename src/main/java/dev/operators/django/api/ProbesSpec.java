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
  @JsonPropertyDescription(
      "An HTTP path that the app answers with 200 without a database query,"
          + " e.g. /admin/login/ or a health view of the app's own, probed with the ingress host (else"
          + " the Service's name) as the Host header so that ALLOWED_HOSTS accepts it. Without it, the"
          + " probes open a TCP connection. Liveness must not depend on the database: a database"
          + " outage would restart every pod.")
  public String httpPath;
}
