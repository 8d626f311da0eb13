package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Non-secret Django settings; they go to the app's ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SettingsSpec {

  @JsonPropertyDescription("DEBUG. Never enable it on a public host. Default false.")
  public Boolean debug;

  @JsonPropertyDescription("DJANGO_LOGLEVEL. Default info.")
  public LogLevel logLevel;

  @Size(max = 64)
  @JsonPropertyDescription("DJANGO_ALLOWED_HOSTS. Default: the ingress host, or the Service's"
      + " in-cluster names when there is no ingress. Never '*' unless written here.")
  public List<String> allowedHosts = new ArrayList<>();

  @Size(max = 128)
  @ValidationRule(
      value = "self.all(k, !(k in ['DJANGO_SECRET_KEY', 'DATABASE_PASSWORD', 'DATABASE_USERNAME',"
          + " 'STATIC_SECRET_KEY', 'STATIC_ACCESS_KEY_ID', 'DJANGO_SUPERUSER_PASSWORD']))",
      message = "settings.env must not set credentials (DJANGO_SECRET_KEY, DATABASE_PASSWORD, ...):"
          + " they would be stored in a ConfigMap; reference a Secret with secretKey, database,"
          + " staticFiles or envFrom instead")
  @ValidationRule(
      value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))",
      message = "settings.env keys must be environment variable names ([A-Za-z_][A-Za-z0-9_]*)")
  @JsonPropertyDescription("Further non-secret environment variables for the app, such as"
      + " DJANGO_SETTINGS_MODULE.")
  public Map<String, String> env = new LinkedHashMap<>();

  /** DJANGO_LOGLEVEL values understood by Python's logging. */
  public enum LogLevel {
    debug, info, warning, error, critical
  }
}
