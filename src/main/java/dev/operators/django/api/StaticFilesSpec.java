package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** S3-compatible object storage for static files (django-storages). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StaticFilesSpec {

  @Required
  @Size(min = 3, max = 63)
  @JsonPropertyDescription("STATIC_BUCKET_NAME.")
  public String bucket;

  @Required
  @Pattern("^https?://[^\\s/]+(/\\S*)?$")
  @JsonPropertyDescription("STATIC_ENDPOINT_URL, e.g. https://nyc3.digitaloceanspaces.com.")
  public String endpointUrl;

  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "must name a Secret: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription(
      "Name of an existing Secret with the keys 'accessKeyId' and"
          + " 'secretKey' (STATIC_ACCESS_KEY_ID, STATIC_SECRET_KEY). Referenced, never copied.")
  public String credentialsSecret;
}
