package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the shortcuts that assume a list of child kinds: every kind the workflow server-side
 * applies keeps the operator's managed-fields entry in the cache (the matcher needs it), and the
 * AOT training loads every kind the informers read.
 */
@SuppressWarnings("unchecked")
class WorkflowKindsTest {

  static List<Class<? extends HasMetadata>> appliedKinds() throws Exception {
    var workflow = DjangoAppReconciler.class.getAnnotation(Workflow.class);
    var kinds = new java.util.ArrayList<Class<? extends HasMetadata>>();
    for (var dependent : workflow.dependents()) {
      var instance = (KubernetesDependentResource<?, ?>) dependent.type()
          .getDeclaredConstructor().newInstance();
      kinds.add((Class<? extends HasMetadata>) instance.resourceType());
    }
    // ConfigMaps are updated by PUT, the key Secret only created (see ChildDependent).
    return kinds.stream().filter(k -> k != ConfigMap.class && k != Secret.class).toList();
  }

  @Test
  void everyAppliedKindKeepsTheOperatorsManagedFields() throws Exception {
    for (var kind : appliedKinds()) {
      var object = kind.getDeclaredConstructor().newInstance();
      object.setMetadata(new ObjectMetaBuilder().withName("x").withManagedFields(
          new ManagedFieldsEntryBuilder().withManager(DjangoAppReconciler.FIELD_MANAGER)
              .withOperation("Apply").build()).build());
      PrunedItemStore.prune(object);
      assertThat(object.getMetadata().getManagedFields()).as(kind.getSimpleName()).hasSize(1);
    }
  }

  @Test
  void theAotTrainingLoadsEveryWorkflowKind() throws Exception {
    var field = dev.operators.django.AotTraining.class.getDeclaredField("KINDS");
    field.setAccessible(true);
    var trained = (List<Object>) field.get(null);
    assertThat(trained).containsAll(List.copyOf(appliedKinds()));
  }
}
