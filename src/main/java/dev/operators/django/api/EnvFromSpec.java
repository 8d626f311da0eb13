package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One existing ConfigMap or Secret passed to the container as environment variables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.configMapRef) != has(self.secretRef)",
    message = "each envFrom entry names exactly one of configMapRef or secretRef")
public class EnvFromSpec {

  @JsonPropertyDescription("A ConfigMap in the app's namespace.")
  public NameRef configMapRef;

  @JsonPropertyDescription("A Secret in the app's namespace.")
  public NameRef secretRef;

  @Size(max = 64)
  @ValidationRule(
      value = "self.matches('" + Grammar.ENV_PREFIX + "')",
      message =
          "envFrom prefix must start an environment variable name: letters, digits and"
              + " '_', not starting with a digit (e.g. LEGACY_)")
  @JsonPropertyDescription("A prefix for every variable name taken from this source.")
  public String prefix;

  /** A reference by name. */
  public static class NameRef {
    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(
        value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
        message = "must name a ConfigMap or Secret: lower-case letters, digits, '-' and '.'")
    @JsonPropertyDescription("Name of the object.")
    public String name;

    public NameRef() {}

    public NameRef(String name) {
      this.name = name;
    }
  }
}
