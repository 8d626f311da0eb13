package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Where the container's environment comes from, where it is not obvious. Never a value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentStatus {

  @JsonPropertyDescription(
      "Where DJANGO_SECRET_KEY comes from: spec.secretKey, a Secret or"
          + " ConfigMap of spec.envFrom that has the key (yours always wins over the generated one),"
          + " or the generated Secret <app>-secret-key.")
  public String secretKey;

  @JsonPropertyDescription(
      "Variables that a source in spec.envFrom provides but that the"
          + " operator sets from the spec, which takes precedence (e.g. the tutorial's polls-config"
          + " sets DEBUG and DJANGO_ALLOWED_HOSTS): the variable and the source.")
  public List<String> overridden = new ArrayList<>();
}
