package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** createsuperuser from a Secret, run again only when that Secret's content changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SuperuserSpec {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "must name a Secret: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription(
      "An existing Secret with the keys 'username', 'email' and 'password'"
          + " (passed as DJANGO_SUPERUSER_*; Django 3.0 or newer). An existing user counts as"
          + " success.")
  public String credentialsSecret;
}
