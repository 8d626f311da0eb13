package dev.operators.django.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * The app's children beside the web, as the caches hold them: the processes' Deployments and
 * StatefulSets, the app's pods (to name why a process cannot start), the schedules' CronJobs and
 * the Jobs they made.
 */
public record Workers(
    List<Deployment> deployments,
    List<StatefulSet> statefulSets,
    List<Pod> pods,
    List<CronJob> cronJobs,
    List<Job> scheduleJobs) {
  public static final Workers NONE =
      new Workers(List.of(), List.of(), List.of(), List.of(), List.of());

  /** The processes' children alone. */
  public static Workers processes(
      List<Deployment> deployments, List<StatefulSet> statefulSets, List<Pod> pods) {
    return new Workers(deployments, statefulSets, pods, List.of(), List.of());
  }
}
