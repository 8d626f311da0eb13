package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Optional;

/** The database: DATABASE_ENGINE, _HOST, _PORT, _NAME, and _USERNAME / _PASSWORD from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.host) || (has(self.engine) && self.engine == 'sqlite3')",
    message = "database.host is required, except with engine: sqlite3",
    reason = "FieldValueRequired",
    fieldPath = ".host")
public class DatabaseSpec {

  @JsonPropertyDescription(
      "DATABASE_ENGINE, the backend module under django.db.backends."
          + " Default postgresql; the tutorial's Django 2 image uses postgresql_psycopg2.")
  public Engine engine;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "DATABASE_HOST, e.g. a managed database's hostname. Required, except" + " with sqlite3.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "DATABASE_PORT. Default: the engine's (5432 for PostgreSQL, 3306 for"
          + " MySQL, 1521 for Oracle; none for sqlite3).")
  public Integer port;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("DATABASE_NAME; with sqlite3, the database file's path.")
  public String name;

  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('" + Grammar.DNS_SUBDOMAIN + "')",
      message = "must name a Secret: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription(
      "Name of an existing Secret in the app's namespace with the keys"
          + " 'username' and 'password' (DATABASE_USERNAME, DATABASE_PASSWORD). They are referenced,"
          + " never copied. Omit it when envFrom provides them.")
  public String credentialsSecret;

  /** Django database backends. */
  public enum Engine {
    postgresql(5432),
    postgresql_psycopg2(5432),
    mysql(3306),
    oracle(1521),
    sqlite3(null);

    private final Integer defaultPort;

    Engine(Integer defaultPort) {
      this.defaultPort = defaultPort;
    }

    /** The port the engine's server listens on by default; none for a file database. */
    public Optional<Integer> defaultPort() {
      return Optional.ofNullable(defaultPort);
    }
  }
}
