package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ProcessSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A StatefulSet of one pod per singleton process (a Celery beat), which is what makes it a
 * singleton. A Deployment, even with the Recreate strategy, replaces a pod as soon as the pod is
 * marked for deletion: on a node that stopped answering, the old pod may still run. The StatefulSet
 * controller creates pod {@code <name>-0} only while no pod object of that name exists, and a pod
 * on an unreachable node stays until its kubelet confirms it stopped, the node is deleted, or
 * someone force-deletes it. A rolling update (OrderedReady) deletes the old pod and waits for it to
 * be gone before it creates the new one. The image follows the release gate as the web's does.
 */
public class SingletonStatefulSetDependent extends BulkChildDependent<StatefulSet> {
  public static final String NAME = "singleton-statefulsets";

  public SingletonStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected String labelSelector() {
    return DjangoAppResources.PROCESS_SELECTOR;
  }

  @Override
  protected Map<String, StatefulSet> desiredByName(DjangoApp app, Context<DjangoApp> context) {
    return build(app, AppInputs.from(context), SecretKeyDependent.uid(context));
  }

  static Map<String, StatefulSet> build(
      DjangoApp app, AppInputs inputs, Optional<String> secretKeyUid) {
    var image = inputs.webImage().orElseThrow(); // gated: DeploymentReleased
    var hash = DeploymentDependent.configHash(app, inputs, secretKeyUid);
    var out = new LinkedHashMap<String, StatefulSet>();
    for (var process : singletons(app)) {
      var name = DjangoAppResources.process(app, process.name);
      out.put(
          name,
          new StatefulSetBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(app.getMetadata().getNamespace())
              .withLabels(DjangoAppResources.processLabels(app, process.name))
              .endMetadata()
              .withNewSpec()
              .withReplicas(process.replicas != null ? process.replicas : 1)
              .withPodManagementPolicy("OrderedReady")
              .withNewUpdateStrategy()
              .withType("RollingUpdate")
              .endUpdateStrategy()
              .withNewSelector()
              .withMatchLabels(DjangoAppResources.processSelector(app, process.name))
              .endSelector()
              .withTemplate(ProcessPodTemplate.build(app, process, inputs, image, hash))
              .endSpec()
              .build());
    }
    return out;
  }

  static List<ProcessSpec> singletons(DjangoApp app) {
    return app.getSpec().processes == null
        ? List.of()
        : app.getSpec().processes.stream().filter(p -> Boolean.TRUE.equals(p.singleton)).toList();
  }

  @Override
  protected List<String> names(DjangoApp app) {
    return singletons(app).stream().map(p -> DjangoAppResources.process(app, p.name)).toList();
  }
}
