package dev.operators.django.release;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the web Deployment may run the desired image yet: only once every enabled step
 * (migrate, collectstatic) has succeeded for that image. A pure function of the observed Jobs.
 *
 * <p>Each step runs once per image. A step is started for the desired image only while no Job
 * of the same step is still running for another image, so two migrations never run at once.
 */
public final class ReleaseGate {
  private ReleaseGate() {}

  /** The steps that gate a rollout. */
  public enum Step {
    MIGRATE("migrate"), COLLECTSTATIC("static");

    public final String jobName;

    Step(String jobName) {
      this.jobName = jobName;
    }
  }

  /** A Job's observed outcome. */
  public enum Outcome { RUNNING, SUCCEEDED, FAILED }

  /** A Job's state: its outcome, and for a failure the Job's reason and message. */
  public record JobState(String name, Outcome outcome, String reason, String message) {}

  /**
   * What was observed.
   *
   * @param steps the enabled steps
   * @param forDesiredImage the Jobs of each step for the desired image
   * @param runningForOtherImages steps with a Job still running for another image
   * @param deploymentImage the image of the existing Deployment, if there is one
   */
  public record Observation(String desiredImage, Set<Step> steps,
      Map<Step, JobState> forDesiredImage, Set<Step> runningForOtherImages,
      Optional<String> deploymentImage) {}

  /**
   * The decision.
   *
   * @param webImage the image the Deployment runs; empty: no Deployment yet
   * @param start steps to start a Job for now
   * @param released every step succeeded (or none is enabled) for the desired image
   */
  public record Decision(Optional<String> webImage, Set<Step> start, boolean released,
      String reason, String message, boolean failed) {}

  public static Decision decide(Observation observed) {
    var image = observed.desiredImage();
    if (observed.steps().isEmpty()) {
      return new Decision(Optional.of(image), Set.of(), true, "Disabled",
          "No migrate or collectstatic step is enabled.", false);
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
      return new Decision(Optional.of(image), Set.of(), true, "Succeeded",
          "Migrations succeeded for " + image + ".", false);
    }
    var keep = observed.deploymentImage();
    var serving = keep.map(i -> " The Deployment keeps serving " + i + ".")
        .orElse(" The Deployment is created once they succeed.");
    if (failed != null) {
      return new Decision(keep, Set.copyOf(start), false, "MigrationFailed",
          "Job " + failed.name() + " failed (" + failed.reason() + ": " + failed.message()
              + "). See kubectl logs job/" + failed.name() + "." + serving
              + " Fix the image and set a new tag to try again.", true);
    }
    var waiting = !observed.runningForOtherImages().isEmpty() && !start.isEmpty()
        ? " Waiting for the previous image's Job to finish first." : "";
    return new Decision(keep, Set.copyOf(start), false, "Migrating",
        "Running migrations for " + image + "." + waiting + serving, false);
  }
}
