package dev.operators.django.release;

import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;
import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;
import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.dependent.Digests;
import dev.operators.django.dependent.ContainerEnvironment;
import dev.operators.django.dependent.DjangoPodTemplate;
import dev.operators.django.dependent.ObservedReferences;
import dev.operators.django.reconciler.PrunedItemStore;
import dev.operators.django.release.ReleaseGate.JobState;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseGate.Step;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management Jobs: migrate and collectstatic once per image, createsuperuser once per content
 * of its Secret. Jobs are named after what they run for, so that the same work is never started
 * twice, even by a restarted operator: a second create finds the first Job. They are created and
 * deleted, never updated. Their pods run the app's image with exactly the app's environment.
 */
public final class ReleaseJobs {
  private static final Logger log = LoggerFactory.getLogger(ReleaseJobs.class);
  public static final String SUPERUSER = "superuser";
  public static final String EVENT_SOURCE = "jobs";
  /** The image a Job runs for, so old images' Jobs can be told apart from the current one's. */
  public static final String IMAGE_ANNOTATION = "django.operators.dev/image";
  static final List<String> MIGRATE = List.of("python", "manage.py", "migrate", "--noinput");
  static final List<String> COLLECTSTATIC =
      List.of("python", "manage.py", "collectstatic", "--noinput");
  /** createsuperuser --noinput, unless the user exists: an existing user is success. */
  static final List<String> CREATE_SUPERUSER = List.of("python", "manage.py", "shell", "-c",
      "import os\n"
          + "from django.contrib.auth import get_user_model\n"
          + "from django.core.management import call_command\n"
          + "User = get_user_model()\n"
          + "name = os.environ['DJANGO_SUPERUSER_USERNAME']\n"
          + "if User.objects.filter(**{User.USERNAME_FIELD: name}).exists():\n"
          + "    print('superuser ' + name + ' exists')\n"
          + "else:\n"
          + "    call_command('createsuperuser', interactive=False)\n");
  private static final String JOB_SELECTOR = MANAGED_SELECTOR + "," + LABEL_COMPONENT + " in ("
      + Step.MIGRATE.jobName + "," + Step.COLLECTSTATIC.jobName + "," + SUPERUSER + ")";

  private ReleaseJobs() {}

  public static InformerEventSource<Job, DjangoApp> eventSource(
      EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Job.class, DjangoApp.class)
        .withName(EVENT_SOURCE)
        .withLabelSelector(JOB_SELECTOR)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DjangoApp.class))
        .withNamespacesInheritedFromController()
        .withItemStore(PrunedItemStore.forController(context, PrunedItemStore::new))
        .build(), context);
  }

  /** The steps that gate a rollout, as the spec enables them. */
  public static Set<Step> steps(DjangoApp app) {
    var spec = app.getSpec();
    var steps = new java.util.LinkedHashSet<Step>();
    if (spec.migrations == null || !Boolean.FALSE.equals(spec.migrations.enabled)) {
      steps.add(Step.MIGRATE);
    }
    if (spec.staticFiles != null
        && (spec.collectStatic == null || !Boolean.FALSE.equals(spec.collectStatic.enabled))) {
      steps.add(Step.COLLECTSTATIC);
    }
    return Set.copyOf(steps);
  }

  /** What the gate needs to know, from the app's Jobs in the informer cache. */
  public static ReleaseGate.Observation observe(DjangoApp app, Stream<Job> jobs,
      Optional<String> deploymentImage) {
    var image = app.getSpec().image;
    var forImage = new java.util.EnumMap<Step, JobState>(Step.class);
    var runningElsewhere = java.util.EnumSet.noneOf(Step.class);
    jobs.forEach(job -> {
      for (var step : Step.values()) {
        if (!step.jobName.equals(job.getMetadata().getLabels().get(LABEL_COMPONENT))) {
          continue;
        }
        var state = state(job);
        if (job.getMetadata().getName().equals(jobName(app, step))) {
          forImage.put(step, state);
        } else if (state.outcome() == Outcome.RUNNING) {
          runningElsewhere.add(step);
        }
      }
    });
    return new ReleaseGate.Observation(image, steps(app), forImage, runningElsewhere,
        deploymentImage);
  }

  /** The image of the newest successful migration, read from the Jobs themselves. */
  public static Optional<String> migratedImage(List<Job> jobs) {
    return jobs.stream()
        .filter(j -> Step.MIGRATE.jobName.equals(j.getMetadata().getLabels().get(LABEL_COMPONENT)))
        .filter(j -> state(j).outcome() == Outcome.SUCCEEDED)
        .max(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp()))
        .map(j -> j.getMetadata().getAnnotations().get(IMAGE_ANNOTATION));
  }

  public static JobState state(Job job) {
    var name = job.getMetadata().getName();
    var status = job.getStatus();
    if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
      return new JobState(name, Outcome.SUCCEEDED, "Complete", "");
    }
    var failed = status == null || status.getConditions() == null ? Optional.<JobState>empty()
        : status.getConditions().stream()
            .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst()
            .map(c -> new JobState(name, Outcome.FAILED,
                Objects.requireNonNullElse(c.getReason(), "Failed"),
                Objects.requireNonNullElse(c.getMessage(), "the Job failed")));
    return failed.orElse(new JobState(name, Outcome.RUNNING, "Running", ""));
  }

  public static String jobName(DjangoApp app, Step step) {
    return DjangoAppResources.job(app, step.jobName, fingerprint(app.getSpec().image));
  }

  public static String superuserJobName(DjangoApp app, String secretFingerprint) {
    return DjangoAppResources.job(app, SUPERUSER, fingerprint(secretFingerprint));
  }

  static Job build(DjangoApp app, ObservedReferences refs, Step step) {
    var spec = app.getSpec();
    var custom = step == Step.MIGRATE ? spec.migrations : spec.collectStatic;
    var command = custom != null && custom.command != null ? custom.command
        : step == Step.MIGRATE ? MIGRATE : COLLECTSTATIC;
    return build(app, refs, jobName(app, step), step.jobName, command, List.of());
  }

  static Job buildSuperuser(DjangoApp app, ObservedReferences refs, String secretFingerprint) {
    var secret = app.getSpec().superuser.credentialsSecret;
    return build(app, refs, superuserJobName(app, secretFingerprint), SUPERUSER, CREATE_SUPERUSER,
        List.of(ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_USERNAME", secret, "username"),
            ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_EMAIL", secret, "email"),
            ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_PASSWORD", secret, "password")));
  }

  private static Job build(DjangoApp app, ObservedReferences refs, String name, String component,
      List<String> command, List<EnvVar> extraEnv) {
    var jobs = app.getSpec().jobs;
    var base = DjangoPodTemplate.container(app, refs);
    var env = new ArrayList<>(base.getEnv());
    env.addAll(extraEnv);
    var container = new ContainerBuilder(base).withName(component).withCommand(command)
        .withEnv(env).build();
    var labels = DjangoAppResources.labels(app, component);
    return new JobBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(app.getMetadata().getNamespace())
          .withLabels(labels)
          .addToAnnotations(IMAGE_ANNOTATION, app.getSpec().image)
          .withOwnerReferences(DjangoAppResources.controllerReference(app))
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(jobs != null && jobs.backoffLimit != null ? jobs.backoffLimit : 1)
          .withActiveDeadlineSeconds(
              jobs != null && jobs.activeDeadlineSeconds != null ? jobs.activeDeadlineSeconds : 900L)
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withContainers(container)
              .withSecurityContext(DjangoPodTemplate.podSecurityContext(app))
              .withEnableServiceLinks(false)
              .withAutomountServiceAccountToken(false)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** Creates a Job unless it exists: a Job with this name has already done, or does, this work. */
  static boolean create(KubernetesClient client, Job job) {
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job)
          .create();
      log.info("{}/{}: started Job {}", job.getMetadata().getNamespace(),
          job.getMetadata().getOwnerReferences().get(0).getName(), job.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  public static void start(KubernetesClient client, DjangoApp app, ObservedReferences refs,
      Set<Step> steps) {
    for (var step : steps) {
      create(client, build(app, refs, step));
    }
  }

  public static void startSuperuser(KubernetesClient client, DjangoApp app,
      ObservedReferences refs, String secretFingerprint) {
    create(client, buildSuperuser(app, refs, secretFingerprint));
  }

  /**
   * Deletes finished Jobs beyond the history limit, per step, oldest first. Running Jobs and
   * those of the current image are kept.
   */
  public static void prune(KubernetesClient client, DjangoApp app, List<Job> jobs) {
    var limit = app.getSpec().jobs != null && app.getSpec().jobs.historyLimit != null
        ? app.getSpec().jobs.historyLimit : 3;
    for (var component : List.of(Step.MIGRATE.jobName, Step.COLLECTSTATIC.jobName, SUPERUSER)) {
      var finished = jobs.stream()
          .filter(j -> component.equals(j.getMetadata().getLabels().get(LABEL_COMPONENT)))
          .filter(j -> state(j).outcome() != Outcome.RUNNING)
          .filter(j -> !app.getSpec().image.equals(
              j.getMetadata().getAnnotations().get(IMAGE_ANNOTATION))
              || SUPERUSER.equals(component))
          .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
              .reversed())
          .toList();
      for (var old : finished.subList(Math.min(limit, finished.size()), finished.size())) {
        client.batch().v1().jobs().inNamespace(old.getMetadata().getNamespace())
            .withName(old.getMetadata().getName())
            .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
            .delete();
        log.info("{}/{}: deleted old Job {}", app.getMetadata().getNamespace(),
            app.getMetadata().getName(), old.getMetadata().getName());
      }
    }
  }

  /** Jobs belonging to this app, from the informer cache. */
  public static List<Job> of(DjangoApp app, InformerEventSource<Job, DjangoApp> jobs) {
    var namespace = app.getMetadata().getNamespace();
    return jobs.list(namespace, j -> namespace.equals(j.getMetadata().getNamespace())
            && app.getMetadata().getName().equals(j.getMetadata().getLabels().get(LABEL_INSTANCE)))
        .toList();
  }

  static String fingerprint(String value) {
    return HexFormat.of().formatHex(Digests.sha256()
        .digest(value.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
  }
}
