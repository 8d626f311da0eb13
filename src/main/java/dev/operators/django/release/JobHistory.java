package dev.operators.django.release;

import static dev.operators.django.api.DjangoAppResources.IMAGE_ANNOTATION;
import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.release.ReleaseGate.Outcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which finished Jobs have outlived the history limit ({@code spec.jobs.historyLimit}, 3 by
 * default), per component, oldest first. Running Jobs and the current image's are kept, so a Job
 * that the gate still reads is never deleted. A pure function.
 */
public final class JobHistory {
  static final int DEFAULT_LIMIT = 3;

  private JobHistory() {}

  public static List<Job> expired(DjangoApp app, List<Job> jobs) {
    var limit =
        app.getSpec().jobs != null && app.getSpec().jobs.historyLimit != null
            ? app.getSpec().jobs.historyLimit
            : DEFAULT_LIMIT;
    var expired = new ArrayList<Job>();
    for (var component :
        List.of(
            DjangoAppResources.MIGRATE, DjangoAppResources.STATIC, DjangoAppResources.SUPERUSER)) {
      var finished =
          jobs.stream()
              .filter(j -> component.equals(j.getMetadata().getLabels().get(LABEL_COMPONENT)))
              .filter(j -> ReleaseJobs.state(j).outcome() != Outcome.RUNNING)
              .filter(
                  j ->
                      DjangoAppResources.SUPERUSER.equals(component)
                          || !app.getSpec()
                              .image
                              .equals(j.getMetadata().getAnnotations().get(IMAGE_ANNOTATION)))
              .sorted(
                  Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
                      .reversed())
              .toList();
      expired.addAll(finished.subList(Math.min(limit, finished.size()), finished.size()));
    }
    return expired;
  }
}
