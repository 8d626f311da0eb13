package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.dependent.ConfigMapDependent;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.release.ReleaseJobs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Children that an earlier version of the operator created under another name, removed after an
 * upgrade so that nothing is orphaned: the settings ConfigMap was {@code <app>-config}, the name
 * the tutorial gives its own ConfigMap. It is deleted only when it is the app's (a controller
 * reference to this app), and once the Deployment does not read it and no Job of the app runs, so
 * that no pod that is starting loses its environment.
 */
final class LegacyChildren {
  private static final Logger log = LoggerFactory.getLogger(LegacyChildren.class);

  private LegacyChildren() {}

  @SuppressWarnings("unchecked")
  static void remove(DjangoApp app, Context<DjangoApp> context, List<Job> jobs) {
    var name = DjangoAppResources.legacyConfigMap(app);
    var configMaps =
        (InformerEventSource<ConfigMap, DjangoApp>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(ConfigMap.class, ConfigMapDependent.NAME);
    var legacy =
        configMaps
            .get(new ResourceID(name, app.getMetadata().getNamespace()))
            .filter(configMap -> ownedBy(configMap, app));
    if (legacy.isEmpty()) {
      return;
    }
    var deploymentReads =
        DeploymentDependent.current(app, context)
            .map(d -> reads(d.getSpec().getTemplate().getSpec(), name))
            .orElse(false);
    // The Jobs' cache holds no pod template (PrunedItemStore): any running Job may read it.
    var jobRunning =
        jobs.stream()
            .anyMatch(job -> ReleaseJobs.state(job).outcome() == ReleaseGate.Outcome.RUNNING);
    if (deploymentReads || jobRunning) {
      return;
    }
    context.getClient().resource(legacy.get()).delete();
    log.info(
        "{}/{}: deleted ConfigMap {}, renamed {}",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        name,
        DjangoAppResources.configMap(app));
  }

  private static boolean ownedBy(HasMetadata child, DjangoApp app) {
    return child.getMetadata().getOwnerReferences().stream()
        .anyMatch(owner -> Objects.equals(owner.getUid(), app.getMetadata().getUid()));
  }

  /** Whether a pod of this spec takes any variable from the named ConfigMap. */
  static boolean reads(PodSpec pod, String configMap) {
    return pod.getContainers().stream()
        .anyMatch(
            container ->
                Stream.concat(
                        container.getEnvFrom().stream()
                            .map(
                                source ->
                                    source.getConfigMapRef() != null
                                        ? source.getConfigMapRef().getName()
                                        : null),
                        container.getEnv().stream()
                            .map(env -> env.getValueFrom())
                            .filter(Objects::nonNull)
                            .map(EnvVarSource::getConfigMapKeyRef)
                            .filter(Objects::nonNull)
                            .map(ref -> ref.getName()))
                    .anyMatch(configMap::equals));
  }
}
