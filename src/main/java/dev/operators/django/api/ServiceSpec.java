package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The app's Service: port 8000 to the container port named gunicorn. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.nodePort) || (has(self.type) && self.type == 'NodePort')",
    message = "service.nodePort is only valid with service.type NodePort")
public class ServiceSpec {

  @JsonPropertyDescription("ClusterIP (default) or NodePort, as in the tutorial's first test.")
  public Type type;

  @Min(30000)
  @Max(32767)
  @JsonPropertyDescription("A fixed node port for type NodePort; allocated by Kubernetes if unset.")
  public Integer nodePort;

  /** Supported Service types. */
  public enum Type {
    ClusterIP,
    NodePort
  }
}
