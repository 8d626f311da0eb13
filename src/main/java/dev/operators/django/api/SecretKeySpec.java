package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An existing Secret holding DJANGO_SECRET_KEY. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeySpec {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "must name a Secret: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription("Name of the Secret, in the app's namespace.")
  public String secretName;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Key within the Secret. Default DJANGO_SECRET_KEY.")
  public String key;
}
