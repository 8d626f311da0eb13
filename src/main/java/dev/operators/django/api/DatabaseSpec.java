package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The database: DATABASE_ENGINE, _HOST, _PORT, _NAME, and _USERNAME / _PASSWORD from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

  @JsonPropertyDescription("DATABASE_ENGINE, the backend module under django.db.backends."
      + " Default postgresql; the tutorial's Django 2 image uses postgresql_psycopg2.")
  public Engine engine;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("DATABASE_HOST, e.g. a managed database's hostname.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("DATABASE_PORT. Default 5432.")
  public Integer port;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("DATABASE_NAME.")
  public String name;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of an existing Secret in the app's namespace with the keys"
      + " 'username' and 'password' (DATABASE_USERNAME, DATABASE_PASSWORD). They are referenced,"
      + " never copied. Omit it when envFrom provides them.")
  public String credentialsSecret;

  /** Django database backends. */
  public enum Engine {
    postgresql, postgresql_psycopg2, mysql, oracle, sqlite3
  }
}
