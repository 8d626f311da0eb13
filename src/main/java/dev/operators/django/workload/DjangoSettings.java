package dev.operators.django.workload;

import dev.operators.django.api.DatabaseSpec;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.SettingsSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Django settings of the app's containers, pure functions of the spec: the variables of the
 * settings ConfigMap (every container reads them: the web, the processes, the schedules and the
 * management Jobs), the allowed hosts, and the Host header of HTTP probes.
 */
public final class DjangoSettings {
  private DjangoSettings() {}

  /**
   * The tutorial's environment contract, minus the secrets, plus settings.env. DEBUG is empty when
   * false: the tutorial's settings.py reads {@code os.getenv('DEBUG', False)}, for which any
   * non-empty string, "False" included, is true.
   */
  public static Map<String, String> data(DjangoApp app) {
    var spec = app.getSpec();
    var settings = Optional.ofNullable(spec.settings).orElseGet(SettingsSpec::new);
    var data = new TreeMap<String, String>(settings.env);
    data.put("DEBUG", Boolean.TRUE.equals(settings.debug) ? "True" : "");
    data.put(
        "DJANGO_LOGLEVEL",
        Optional.ofNullable(settings.logLevel).orElse(SettingsSpec.LogLevel.info).name());
    data.put("DJANGO_ALLOWED_HOSTS", String.join(",", allowedHosts(app)));
    if (spec.database != null) {
      var db = spec.database;
      var engine = Optional.ofNullable(db.engine).orElse(DatabaseSpec.Engine.postgresql);
      data.put("DATABASE_ENGINE", engine.name());
      if (db.host != null) {
        data.put("DATABASE_HOST", db.host);
      }
      Optional.ofNullable(db.port)
          .or(engine::defaultPort)
          .ifPresent(port -> data.put("DATABASE_PORT", String.valueOf(port)));
      data.put("DATABASE_NAME", db.name);
    }
    if (spec.staticFiles != null) {
      data.put("STATIC_BUCKET_NAME", spec.staticFiles.bucket);
      data.put("STATIC_ENDPOINT_URL", spec.staticFiles.endpointUrl);
    }
    return data;
  }

  /**
   * The ingress host, then the Service's in-cluster names, then the written hosts. Never "*" unless
   * written. (Wildcard ingress hosts are refused at admission.)
   */
  public static List<String> allowedHosts(DjangoApp app) {
    var hosts = new LinkedHashSet<String>();
    ingressHost(app).ifPresent(hosts::add);
    var service = DjangoAppResources.serviceHost(app);
    hosts.add(DjangoAppResources.service(app));
    hosts.add(service);
    hosts.add(service + ".cluster.local");
    if (app.getSpec().settings != null) {
      hosts.addAll(app.getSpec().settings.allowedHosts);
    }
    return List.copyOf(hosts);
  }

  /** The Host header of HTTP probes: the ingress host, else the Service's name. */
  public static String probeHost(DjangoApp app) {
    return ingressHost(app).orElse(DjangoAppResources.service(app));
  }

  private static Optional<String> ingressHost(DjangoApp app) {
    return Optional.ofNullable(app.getSpec().ingress).map(ingress -> ingress.host);
  }
}
