package dev.operators.django.status;

import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;
import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/**
 * The app's own pods (web and Jobs: they carry the operator's labels), watched so that a pod that
 * cannot start is named on the app within seconds (see {@link WorkloadFailures}). No other pod of
 * the cluster is cached, and each one is kept reduced to its name, labels, owner and container
 * states. Only a change of what {@link WorkloadFailures} reads triggers a reconcile: pods becoming
 * ready are already reported through their Deployment.
 */
public final class PodWatch {
  static final String EVENT_SOURCE = "pods";

  private PodWatch() {}

  public static InformerEventSource<Pod, DjangoApp> eventSource(
      EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(
        Informers.of(
                context,
                Pod.class,
                EVENT_SOURCE,
                MANAGED_SELECTOR,
                Informers.<Pod>byLabel(LABEL_INSTANCE),
                ReducedPods::new)
            .withOnAddFilter(pod -> WorkloadFailures.ofPod(pod).isPresent())
            .withOnUpdateFilter(
                (updated, old) ->
                    !WorkloadFailures.ofPod(updated).equals(WorkloadFailures.ofPod(old)))
            .withOnDeleteFilter((pod, unknown) -> WorkloadFailures.ofPod(pod).isPresent())
            .build(),
        context);
  }

  /** Pods as {@link WorkloadFailures} reads them, and no more: a pod spec is large. */
  static final class ReducedPods extends PrunedItemStore<Pod> {
    @Override
    protected Pod shrink(Pod pod) {
      return super.shrink(reduce(pod));
    }
  }

  static Pod reduce(Pod pod) {
    pod.setSpec(null);
    var status = pod.getStatus();
    if (status != null) {
      status.setConditions(null);
      status.setHostIPs(null);
      status.setPodIPs(null);
      status.setEphemeralContainerStatuses(null);
      reduce(status.getContainerStatuses());
      reduce(status.getInitContainerStatuses());
    }
    return pod;
  }

  private static void reduce(List<ContainerStatus> containers) {
    if (containers != null) {
      containers.forEach(
          container -> {
            container.setLastState(null);
            container.setImageID(null);
            container.setContainerID(null);
            container.setVolumeMounts(null);
            container.setResources(null);
            container.setAllocatedResources(null);
            container.setUser(null);
          });
    }
  }
}
