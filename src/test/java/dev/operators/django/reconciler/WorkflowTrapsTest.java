package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.AotTrainingAccess;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.ChildDependent;
import dev.operators.django.kube.PrunedItemStore;
import dev.operators.django.status.ChildFailures;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks the workflow's dependents, as java-operator-sdk registers them, and checks each place a new
 * child could silently break: its informer keeps the managed-fields entry that server-side-apply
 * matching reads exactly when it is applied that way, it names itself (so failures and lookups find
 * it by name, a second child of the same kind included), and the AOT training covers it.
 */
class WorkflowTrapsTest {
  private static AotTrainingAccess.Registered registered;

  @BeforeAll
  static void register() {
    registered = AotTrainingAccess.register(OperatorSettings.fromEnvironment(Map.of()));
  }

  @AfterAll
  static void close() {
    registered.close();
  }

  private static List<DependentResource<?, DjangoApp>> dependents() throws Exception {
    var dependents = new ArrayList<DependentResource<?, DjangoApp>>();
    for (DependentResourceSpec<?, ?, ?> spec :
        registered.controller().getWorkflowSpec().orElseThrow().getDependentResourceSpecs()) {
      @SuppressWarnings("unchecked")
      var dependent =
          (DependentResource<?, DjangoApp>)
              spec.getDependentResourceClass().getDeclaredConstructor().newInstance();
      dependents.add(dependent);
    }
    return dependents;
  }

  @Test
  void eachChildsCacheKeepsItsOwnManagedFieldsExactlyWhenItIsServerSideApplied() throws Exception {
    var controller = registered.controller();
    var applied = new ArrayList<String>();
    for (var dependent : dependents()) {
      var child = (KubernetesDependentResource<?, DjangoApp>) dependent;
      var source =
          (InformerEventSource<?, DjangoApp>) child.eventSource(context(controller)).orElseThrow();
      boolean ssa = controller.getConfigurationService().shouldUseSSA(child);
      assertThat(keepsOwnEntry(source)).as(child.resourceType().getSimpleName()).isEqualTo(ssa);
      if (ssa) {
        applied.add(child.resourceType().getSimpleName());
      }
    }
    // the guard must see both cases
    assertThat(applied).contains("Deployment", "Service", "Ingress").doesNotContain("ConfigMap");
  }

  @Test
  void eachChildNamesItselfAndChildrenOfOneKindHaveDistinctNames() throws Exception {
    var app = TestApps.polls();
    var names = new HashSet<String>();
    for (var dependent : dependents()) {
      assertThat(dependent).isInstanceOf(ChildDependent.class);
      var child = (ChildDependent<?>) dependent;
      assertThat(names.add(child.kind() + "/" + child.childName(app))).isTrue();
    }
  }

  @Test
  void failuresNameAnyDependentWithoutACast() {
    DependentResource<ConfigMap, DjangoApp> foreign =
        new KubernetesDependentResource<>(ConfigMap.class) {};
    var failures =
        ChildFailures.from(
            TestApps.polls(), Map.of(foreign, new KubernetesClientException("refused", 422, null)));
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("ConfigMap");
              assertThat(f.reason()).isEqualTo("ApplyFailed");
            });
  }

  @Test
  void theAotTrainingCoversEveryChild() throws Exception {
    var kinds = registered.kinds();
    for (var dependent : dependents()) {
      assertThat(kinds).contains((Class<? extends HasMetadata>) dependent.resourceType());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean keepsOwnEntry(InformerEventSource<?, DjangoApp> source) {
    var store = (PrunedItemStore) source.configuration().getInformerConfig().getItemStore();
    var object = new ConfigMap();
    object.setMetadata(
        new ObjectMetaBuilder()
            .withName("x")
            .withNamespace("y")
            .withManagedFields(
                new ManagedFieldsEntryBuilder().withManager(OperatorSettings.FIELD_MANAGER).build(),
                new ManagedFieldsEntryBuilder().withManager("kubectl").build())
            .build());
    store.put("y/x", object);
    var kept = ((HasMetadata) store.get("y/x")).getMetadata().getManagedFields();
    return kept.stream().anyMatch(e -> OperatorSettings.FIELD_MANAGER.equals(e.getManager()));
  }

  @SuppressWarnings("unchecked")
  private static EventSourceContext<DjangoApp> context(
      ControllerConfiguration<DjangoApp> controller) {
    var primaryCache =
        (IndexerResourceCache<DjangoApp>)
            Proxy.newProxyInstance(
                WorkflowTrapsTest.class.getClassLoader(),
                new Class<?>[] {IndexerResourceCache.class},
                (proxy, method, args) -> null);
    return new EventSourceContext<>(primaryCache, controller, registered.client(), DjangoApp.class);
  }
}
