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

  /**
   * The variables the operator writes from spec fields, and the field to use instead: a key of
   * settings.env would otherwise be overwritten without a word.
   */
  static final String OWNED_KEYS =
      "{'DEBUG': 'settings.debug',"
          + " 'DJANGO_LOGLEVEL': 'settings.logLevel',"
          + " 'DJANGO_ALLOWED_HOSTS': 'settings.allowedHosts',"
          + " 'DJANGO_SECRET_KEY': 'secretKey',"
          + " 'DATABASE_ENGINE': 'database.engine', 'DATABASE_HOST': 'database.host',"
          + " 'DATABASE_PORT': 'database.port', 'DATABASE_NAME': 'database.name',"
          + " 'DATABASE_USERNAME': 'database.credentialsSecret',"
          + " 'DATABASE_PASSWORD': 'database.credentialsSecret',"
          + " 'STATIC_BUCKET_NAME': 'staticFiles.bucket',"
          + " 'STATIC_ENDPOINT_URL': 'staticFiles.endpointUrl',"
          + " 'STATIC_ACCESS_KEY_ID': 'staticFiles.credentialsSecret',"
          + " 'STATIC_SECRET_KEY': 'staticFiles.credentialsSecret'}";

  /** Names that usually hold a credential (RE2, case-insensitive). */
  static final String CREDENTIAL =
      "(?i)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|_KEY$|^KEY$"
          + "|_KEY_ID$|PRIVATE_KEY|API_KEY|ACCESS_KEY)";

  /** Names that match {@link #CREDENTIAL} but are public by design. */
  static final String NOT_A_CREDENTIAL = "(?i)(PUBLIC_KEY|PUBLISHABLE_KEY|SITE_KEY)$";

  /** A URL with a password in it, e.g. postgres://user:password@host/db. */
  static final String URL_WITH_PASSWORD = "^[A-Za-z][A-Za-z0-9+.-]*://[^/@ ]*:[^/@ ]*@";

  @JsonPropertyDescription(
      "DEBUG. Never enable it on a public host. Default false. The container"
          + " gets DEBUG=True when true and an empty DEBUG when false, the one value that every common"
          + " way of reading it (os.getenv('DEBUG', False), == 'True', django-environ's env.bool)"
          + " reads as false.")
  public Boolean debug;

  @JsonPropertyDescription("DJANGO_LOGLEVEL. Default info.")
  public LogLevel logLevel;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(h, h.matches('^[^,\\\\s]+$'))",
      message =
          "settings.allowedHosts takes one host per item: no empty items, commas or spaces"
              + " (write [\"a.example.com\", \"b.example.com\"], not [\"a.example.com,b.example.com\"])")
  @ValidationRule(
      value = "self.all(h, h == '*' || !h.contains('*'))",
      messageExpression =
          "'settings.allowedHosts item ' + self.filter(h, h != '*' &&"
              + " h.contains('*'))[0] + ' never matches: Django knows no *.example.com, write"
              + " .example.com for a domain and its subdomains (or * alone for any host)'")
  @JsonPropertyDescription(
      "Further DJANGO_ALLOWED_HOSTS, in Django's syntax ('.example.com' for a"
          + " domain and its subdomains; '*' only if you mean any host). The ingress host and the"
          + " Service's in-cluster names (<app>, <app>.<namespace>.svc and"
          + " <app>.<namespace>.svc.cluster.local) are always allowed.")
  public List<@Size(min = 1, max = 253) String> allowedHosts = new ArrayList<>();

  @Size(max = 128)
  @ValidationRule(
      value = "self.all(k, !(k in " + OWNED_KEYS + "))",
      messageExpression =
          "'settings.env must not set ' + self.filter(k, k in "
              + OWNED_KEYS
              + ")[0] + ': the operator sets it from spec.' + "
              + OWNED_KEYS
              + "[self.filter(k, k in "
              + OWNED_KEYS
              + ")[0]] + ', use that field instead'",
      reason = "FieldValueForbidden")
  @ValidationRule(
      value =
          "self.all(k, !k.matches('" + CREDENTIAL + "') || k.matches('" + NOT_A_CREDENTIAL + "'))",
      messageExpression =
          "'settings.env.' + self.filter(k, k.matches('"
              + CREDENTIAL
              + "') && !k.matches('"
              + NOT_A_CREDENTIAL
              + "'))[0] + ' looks like a credential, and"
              + " settings.env is stored in a ConfigMap: put it in a Secret and reference it with"
              + " envFrom (or secretKey, database, staticFiles); if it is not secret, pass it from a"
              + " ConfigMap with envFrom'",
      reason = "FieldValueForbidden")
  @ValidationRule(
      value = "self.all(k, !self[k].matches('" + URL_WITH_PASSWORD + "'))",
      messageExpression =
          "'settings.env.' + self.filter(k, self[k].matches('"
              + URL_WITH_PASSWORD
              + "'))[0] + ' embeds a password in a URL (user:password@host),"
              + " and settings.env is stored in a ConfigMap: put the URL in a Secret and reference it"
              + " with envFrom'",
      reason = "FieldValueForbidden")
  @ValidationRule(
      value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))",
      message = "settings.env keys must be environment variable names ([A-Za-z_][A-Za-z0-9_]*)")
  @JsonPropertyDescription(
      "Further non-secret environment variables for the app, such as"
          + " DJANGO_SETTINGS_MODULE. Variables the operator sets from other fields (DEBUG,"
          + " DATABASE_HOST, ...) and names that look like credentials (*PASSWORD*, *SECRET*,"
          + " *TOKEN*, *CREDENTIAL*, *_KEY, *_KEY_ID) are rejected: credentials belong in a Secret.")
  public Map<String, @Size(max = 4096) String> env = new LinkedHashMap<>();

  /** DJANGO_LOGLEVEL values understood by Python's logging. */
  public enum LogLevel {
    debug,
    info,
    warning,
    error,
    critical
  }
}
