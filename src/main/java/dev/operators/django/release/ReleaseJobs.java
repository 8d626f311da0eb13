package dev.operators.django.release;

import static dev.operators.django.api.DjangoAppResources.IMAGE_ANNOTATION;
import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate.JobState;
import dev.operators.django.release.ReleaseGate.Outcome;
import dev.operators.django.release.ReleaseGate.Step;
import dev.operators.django.release.ReleaseGate.Superuser;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The app's management Jobs as the gate reads them ({@link JobWatch} lists them): classified, and
 * turned into the gate's observation. Pure functions of the Jobs and the spec.
 */
public final class ReleaseJobs {
  private ReleaseJobs() {}

  /**
   * The steps that gate a rollout, as the spec enables them: collectstatic when the app has a
   * static-files bucket, from the spec or from its own envFrom sources ({@link StaticStorage}).
   */
  public static Set<Step> steps(DjangoApp app, ObservedReferences refs) {
    var spec = app.getSpec();
    var steps = new LinkedHashSet<Step>();
    if (spec.migrations == null || !Boolean.FALSE.equals(spec.migrations.enabled)) {
      steps.add(Step.MIGRATE);
    }
    if (StaticStorage.source(app, refs).isPresent()
        && (spec.collectStatic == null || !Boolean.FALSE.equals(spec.collectStatic.enabled))) {
      steps.add(Step.COLLECTSTATIC);
    }
    return Set.copyOf(steps);
  }

  /** What the gate needs to know, from the app's Jobs and the web Deployment's image. */
  public static ReleaseGate.Facts observe(
      DjangoApp app, ObservedReferences refs, List<Job> jobs, Optional<String> deploymentImage) {
    var forImage = new EnumMap<Step, JobState>(Step.class);
    var runningElsewhere = EnumSet.noneOf(Step.class);
    for (var job : jobs) {
      for (var step : Step.values()) {
        if (!step.component.equals(job.getMetadata().getLabels().get(LABEL_COMPONENT))) {
          continue;
        }
        var state = state(job);
        if (job.getMetadata().getName().equals(DjangoAppResources.imageJob(app, step.component))) {
          forImage.put(step, state);
        } else if (state.outcome() == Outcome.RUNNING) {
          runningElsewhere.add(step);
        }
      }
    }
    return new ReleaseGate.Facts(
        app.getSpec().image,
        steps(app, refs),
        forImage,
        runningElsewhere,
        deploymentImage,
        migratedImage(jobs),
        superuser(app, refs, jobs));
  }

  private static Superuser superuser(DjangoApp app, ObservedReferences refs, List<Job> jobs) {
    if (app.getSpec().superuser == null) {
      return Superuser.NONE;
    }
    var job = superuserJob(app, refs, jobs).map(ReleaseJobs::state);
    return new Superuser(true, job);
  }

  /** The createsuperuser Job for the current content of its Secret, if it was started. */
  public static Optional<Job> superuserJob(DjangoApp app, ObservedReferences refs, List<Job> jobs) {
    if (app.getSpec().superuser == null) {
      return Optional.empty();
    }
    return refs.fingerprint("Secret", app.getSpec().superuser.credentialsSecret)
        .map(fingerprint -> DjangoAppResources.job(app, DjangoAppResources.SUPERUSER, fingerprint))
        .flatMap(
            name -> jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst());
  }

  /** The image of the newest successful migration, read from the Jobs themselves. */
  public static Optional<String> migratedImage(List<Job> jobs) {
    return jobs.stream()
        .filter(
            j ->
                DjangoAppResources.MIGRATE.equals(j.getMetadata().getLabels().get(LABEL_COMPONENT)))
        .filter(j -> state(j).outcome() == Outcome.SUCCEEDED)
        .max(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp()))
        .map(j -> j.getMetadata().getAnnotations().get(IMAGE_ANNOTATION));
  }

  /** Succeeded once a pod succeeded; failed with the Job's Failed condition; else running. */
  public static JobState state(Job job) {
    var name = job.getMetadata().getName();
    var status = job.getStatus();
    if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
      return new JobState(name, Outcome.SUCCEEDED, "Complete", "");
    }
    var failed =
        status == null || status.getConditions() == null
            ? Optional.<JobState>empty()
            : status.getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(
                    c ->
                        new JobState(
                            name,
                            Outcome.FAILED,
                            Objects.requireNonNullElse(c.getReason(), "Failed"),
                            Objects.requireNonNullElse(c.getMessage(), "the Job failed")));
    return failed.orElse(new JobState(name, Outcome.RUNNING, "Running", ""));
  }
}
