package dev.operators.django.release;

import dev.operators.django.api.DjangoAppResources;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which image the web Deployment may run, and which management Jobs to start: the Deployment moves
 * to the desired image only once every enabled step (migrate, collectstatic) has succeeded for that
 * image, and createsuperuser runs once per content of its Secret, after a release. A pure function
 * of the observed Jobs.
 *
 * <p>Each step runs once per image. A step is started for the desired image only while no Job of
 * the same step is still running for another image, so two migrations never run at once.
 */
public final class ReleaseGate {
  private ReleaseGate() {}

  /** The steps that gate a rollout. */
  public enum Step {
    MIGRATE(DjangoAppResources.MIGRATE),
    COLLECTSTATIC(DjangoAppResources.STATIC);

    /** The component label of the step's Jobs. */
    public final String component;

    Step(String component) {
      this.component = component;
    }
  }

  /** A Job's observed outcome. */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /** A Job's state: its outcome, and for a failure the Job's reason and message. */
  public record JobState(String name, Outcome outcome, String reason, String message) {}

  /**
   * What was observed.
   *
   * @param steps the enabled steps
   * @param forDesiredImage the Jobs of each step for the desired image
   * @param runningForOtherImages steps with a Job still running for another image
   * @param deploymentImage the image of the existing Deployment, if there is one
   * @param lastMigratedImage the image of the newest successful migration, if any
   * @param superuser whether a superuser is asked for, and the state of its Job for the current
   *     content of its Secret (empty: not started)
   */
  public record Facts(
      String desiredImage,
      Set<Step> steps,
      Map<Step, JobState> forDesiredImage,
      Set<Step> runningForOtherImages,
      Optional<String> deploymentImage,
      Optional<String> lastMigratedImage,
      Superuser superuser) {}

  /** createsuperuser: whether the spec asks for it, and its Job for the Secret's content. */
  public record Superuser(boolean requested, Optional<JobState> job) {
    public static final Superuser NONE = new Superuser(false, Optional.empty());
  }

  /**
   * The decision.
   *
   * @param webImage the image the Deployment runs; empty: no Deployment yet
   * @param start steps to start a Job for now
   * @param released every step succeeded (or none is enabled) for the desired image
   * @param startSuperuser start createsuperuser for the current content of its Secret
   * @param migratedImage the image of the newest successful migration, as observed
   * @param superuserJob the createsuperuser Job for the Secret's content, as observed
   */
  public record Decision(
      Optional<String> webImage,
      Set<Step> start,
      boolean released,
      String reason,
      String message,
      boolean failed,
      boolean startSuperuser,
      Optional<String> migratedImage,
      Optional<JobState> superuserJob) {}

  public static Decision decide(Facts observed) {
    var release = release(observed);
    boolean superuser =
        release.released()
            && observed.superuser().requested()
            && observed.superuser().job().isEmpty();
    return new Decision(
        release.webImage(),
        release.start(),
        release.released(),
        release.reason(),
        release.message(),
        release.failed(),
        superuser,
        observed.lastMigratedImage(),
        observed.superuser().job());
  }

  /**
   * The image that serves until the desired one is released: the last migrated image (a Deployment
   * edited by hand is put back to it), else whatever the Deployment runs; none before the first
   * Deployment.
   */
  static Optional<String> serving(Facts observed) {
    return observed
        .lastMigratedImage()
        .filter(image -> observed.deploymentImage().isPresent())
        .or(observed::deploymentImage);
  }

  private static Decision release(Facts observed) {
    var image = observed.desiredImage();
    if (observed.steps().isEmpty()) {
      return decision(
          Optional.of(image),
          Set.of(),
          true,
          "Disabled",
          "No migrate or collectstatic step is enabled.",
          false);
    }
    var start = EnumSet.noneOf(Step.class);
    JobState failed = null;
    boolean allSucceeded = true;
    for (var step : Step.values()) { // in order: a failed migration is reported first
      if (!observed.steps().contains(step)) {
        continue;
      }
      var job = observed.forDesiredImage().get(step);
      if (job == null) {
        allSucceeded = false;
        if (!observed.runningForOtherImages().contains(step)) {
          start.add(step);
        }
      } else if (job.outcome() == Outcome.FAILED) {
        allSucceeded = false;
        failed = failed == null ? job : failed;
      } else if (job.outcome() == Outcome.RUNNING) {
        allSucceeded = false;
      }
    }
    if (allSucceeded) {
      return decision(
          Optional.of(image),
          Set.of(),
          true,
          "Succeeded",
          "Migrations succeeded for " + image + ".",
          false);
    }
    var keep = serving(observed);
    var serving =
        keep.map(i -> " The Deployment keeps serving " + i + ".")
            .orElse(" The Deployment is created once they succeed.");
    if (failed != null) {
      return decision(
          keep,
          Set.copyOf(start),
          false,
          "MigrationFailed",
          "Job "
              + failed.name()
              + " failed ("
              + failed.reason()
              + ": "
              + failed.message()
              + "). See kubectl logs job/"
              + failed.name()
              + "."
              + serving
              + " Fix the image and set a new tag to try again.",
          true);
    }
    var waiting =
        !observed.runningForOtherImages().isEmpty() && !start.isEmpty()
            ? " Waiting for the previous image's Job to finish first."
            : "";
    return decision(
        keep,
        Set.copyOf(start),
        false,
        "Migrating",
        "Running migrations for " + image + "." + waiting + serving,
        false);
  }

  private static Decision decision(
      Optional<String> webImage,
      Set<Step> start,
      boolean released,
      String reason,
      String message,
      boolean failed) {
    return new Decision(
        webImage,
        start,
        released,
        reason,
        message,
        failed,
        false,
        Optional.empty(),
        Optional.empty());
  }
}
