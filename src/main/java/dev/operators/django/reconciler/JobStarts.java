package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.ChildFailures;
import dev.operators.django.status.StatusAggregator;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting the management Jobs, with a Job the API server refuses as invalid reported like a child
 * that cannot be applied (ApplyFailed, Stalled) instead of failing the reconcile, which
 * java-operator-sdk would retry in a loop as a ReconcileError. Any other error still fails it.
 */
final class JobStarts {
  private static final Logger log = LoggerFactory.getLogger(JobStarts.class);

  private JobStarts() {}

  static List<StatusAggregator.ChildFailure> run(DjangoApp app, Runnable start) {
    try {
      start.run();
      return List.of();
    } catch (KubernetesClientException e) {
      if (!ChildFailures.invalid(e)) {
        throw e;
      }
      var message = ChildFailures.safeMessage(e);
      log.warn(
          "{}/{}: a Job was refused: {}",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          message);
      return List.of(
          new StatusAggregator.ChildFailure(
              "Job",
              app.getMetadata().getName(),
              "ApplyFailed",
              "A Job of "
                  + app.getMetadata().getName()
                  + " could not be created: "
                  + message
                  + ". Fix the DjangoApp's spec: the Job is created again when it changes,"
                  + " or after a backoff of up to 5 minutes."));
    }
  }
}
