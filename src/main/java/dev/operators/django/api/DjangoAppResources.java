package dev.operators.django.api;

import dev.operators.django.kube.Digests;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Names and labels of everything the operator creates for a DjangoApp: the one place for them. */
public final class DjangoAppResources {
  public static final String MANAGED_BY = "django-operator";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";

  /** Informers of owned children select on this, so unrelated objects are never cached. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;

  public static final String APP_NAME = "django";
  public static final String WEB = "web";

  /** Components of the management Jobs. */
  public static final String MIGRATE = "migrate";

  public static final String STATIC = "static";
  public static final String SUPERUSER = "superuser";

  /** Job annotation: the image a Job runs for, to tell old images' Jobs from the current one's. */
  public static final String IMAGE_ANNOTATION = DjangoApp.GROUP + "/image";

  /** Component of the TLS Secret, whose labels cert-manager copies from the Ingress's template. */
  public static final String TLS = "tls";

  /** Pod-template annotation: a hash of the configuration the pods read at start. */
  public static final String CONFIG_HASH_ANNOTATION = DjangoApp.GROUP + "/config-hash";

  public static final String SECRET_KEY = "DJANGO_SECRET_KEY";
  public static final String CONTAINER = "django";
  public static final String PORT_NAME = "gunicorn";
  public static final int PORT = 8000;

  /** Label of a process's children and pods: the process's name. */
  public static final String PROCESS_LABEL = DjangoApp.GROUP + "/process";

  /** Label of a schedule's CronJob, its Jobs and their pods: the schedule's name. */
  public static final String SCHEDULE_LABEL = DjangoApp.GROUP + "/schedule";

  /** Component of the schedules' Jobs and pods. */
  public static final String SCHEDULE = "schedule";

  /** Informers of web children select this, so that processes' Deployments are not theirs. */
  public static final String WEB_SELECTOR = MANAGED_SELECTOR + ",!" + PROCESS_LABEL;

  /** Informers of process children. */
  public static final String PROCESS_SELECTOR = MANAGED_SELECTOR + "," + PROCESS_LABEL;

  /** The schedules' Jobs, watched for their outcome. */
  public static final String SCHEDULE_SELECTOR = MANAGED_SELECTOR + "," + SCHEDULE_LABEL;

  private DjangoAppResources() {}

  /** A process's Deployment or StatefulSet, and its autoscaler. */
  public static String process(DjangoApp app, String process) {
    return app.getMetadata().getName() + "-" + process;
  }

  /** A schedule's CronJob. */
  public static String schedule(DjangoApp app, String schedule) {
    return app.getMetadata().getName() + "-" + schedule;
  }

  /** The web pods' PodDisruptionBudget. */
  public static String disruptionBudget(DjangoApp app) {
    return app.getMetadata().getName();
  }

  /** The web Deployment's HorizontalPodAutoscaler. */
  public static String webAutoscaler(DjangoApp app) {
    return app.getMetadata().getName();
  }

  /** Labels of a process's children and pods. */
  public static Map<String, String> processLabels(DjangoApp app, String process) {
    var labels = labels(app, process);
    labels.put(PROCESS_LABEL, process);
    return labels;
  }

  /** The immutable selector of a process's pods. */
  public static Map<String, String> processSelector(DjangoApp app, String process) {
    var labels = selector(app, process);
    labels.put(PROCESS_LABEL, process);
    return labels;
  }

  public static String deployment(DjangoApp app) {
    return app.getMetadata().getName();
  }

  public static String service(DjangoApp app) {
    return app.getMetadata().getName();
  }

  public static String ingress(DjangoApp app) {
    return app.getMetadata().getName();
  }

  /**
   * The ConfigMap of settings. Not {@code <app>-config}, the name the tutorial gives its own
   * ConfigMap (polls-config), which an app team coming from it passes through envFrom.
   */
  public static String configMap(DjangoApp app) {
    return app.getMetadata().getName() + "-settings";
  }

  public static String secretKeySecret(DjangoApp app) {
    return app.getMetadata().getName() + "-secret-key";
  }

  /**
   * The TLS Secret, and so the cert-manager Certificate: spec.ingress.tls.secretName (an existing
   * Secret whose certificate goes on serving, e.g. the tutorial's polls-tls), else {@code
   * <app>-tls}.
   */
  public static String tlsSecret(DjangoApp app) {
    var ingress = app.getSpec() == null ? null : app.getSpec().ingress;
    if (ingress != null && ingress.tls != null && ingress.tls.secretName != null) {
      return ingress.tls.secretName;
    }
    return app.getMetadata().getName() + "-tls";
  }

  /** The owner reference of every child: the app is its controller. */
  public static OwnerReference controllerReference(DjangoApp app) {
    return new OwnerReferenceBuilder()
        .withApiVersion(app.getApiVersion())
        .withKind(app.getKind())
        .withName(app.getMetadata().getName())
        .withUid(app.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Labels on every child of the app. */
  public static Map<String, String> labels(DjangoApp app, String component) {
    var labels = new LinkedHashMap<String, String>();
    labels.putAll(selector(app, component));
    labels.put(LABEL_PART_OF, app.getMetadata().getName());
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    return labels;
  }

  /** The immutable subset of {@link #labels} that selects the component's pods. */
  public static Map<String, String> selector(DjangoApp app, String component) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(LABEL_NAME, APP_NAME);
    labels.put(LABEL_INSTANCE, app.getMetadata().getName());
    labels.put(LABEL_COMPONENT, component);
    return labels;
  }

  /** The web pods' selector as a string, for status.selector and the scale subresource. */
  public static String selectorString(DjangoApp app) {
    var out = new StringBuilder();
    selector(app, WEB)
        .forEach(
            (k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return out.toString();
  }

  /**
   * The Job of a component for a value: per image for migrate and collectstatic, so each image
   * migrates once; per content of its Secret for createsuperuser.
   */
  public static String job(DjangoApp app, String component, String forValue) {
    return app.getMetadata().getName() + "-" + component + "-" + fingerprint(forValue);
  }

  private static final Pattern MANAGEMENT_JOB =
      Pattern.compile("^(.+)-(" + MIGRATE + "|" + STATIC + "|" + SUPERUSER + ")-[0-9a-f]{10}$");

  /** The app a management Job belongs to, from the Job's name ({@link #job}). */
  public static Optional<String> appOfJob(String jobName) {
    var matcher = MANAGEMENT_JOB.matcher(jobName);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** The image's migrate or collectstatic Job. */
  public static String imageJob(DjangoApp app, String component) {
    return job(app, component, app.getSpec().image);
  }

  private static String fingerprint(String value) {
    return HexFormat.of()
        .formatHex(Digests.sha256().digest(value.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 10);
  }

  public static String serviceHost(DjangoApp app) {
    return service(app) + "." + app.getMetadata().getNamespace() + ".svc";
  }
}
