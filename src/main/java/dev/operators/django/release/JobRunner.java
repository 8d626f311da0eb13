package dev.operators.django.release;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.references.ObservedReferences;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the gate's decision: the only writes outside the workflow. Jobs are named after what
 * they run for, so the same work is never started twice, even by a restarted operator: a second
 * create finds the first Job. They are created and deleted, never updated.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  public static void apply(
      KubernetesClient client,
      DjangoApp app,
      ObservedReferences refs,
      ReleaseGate.Decision decision,
      List<Job> jobs) {
    for (var step : decision.start()) {
      create(client, ManagementJobs.step(app, refs, step));
    }
    if (decision.startSuperuser()) {
      create(client, ManagementJobs.superuser(app, refs));
    }
    for (var old : JobHistory.expired(app, jobs)) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(old.getMetadata().getNamespace())
          .withName(old.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      log.info(
          "{}/{}: deleted old Job {}",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          old.getMetadata().getName());
    }
  }

  /** Creates a Job unless it exists: a Job with this name has already done, or does, this work. */
  static boolean create(KubernetesClient client, Job job) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .resource(job)
          .create();
      log.info(
          "{}/{}: started Job {}",
          job.getMetadata().getNamespace(),
          job.getMetadata().getOwnerReferences().get(0).getName(),
          job.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }
}
