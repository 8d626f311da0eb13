package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectCompactorTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /** A Deployment as the API server returns it: managed fields, defaults, status. */
  private static final String DEPLOYMENT =
      """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"polls-web","namespace":"team-a","uid":"u-1","resourceVersion":"42",
         "generation":1,"labels":{"app.kubernetes.io/name":"polls"},
         "ownerReferences":[{"apiVersion":"django.operators.dev/v1alpha1","kind":"DjangoApp",
           "name":"polls","uid":"u-0","controller":true}],
         "managedFields":[{"manager":"django-operator","operation":"Apply",
           "apiVersion":"apps/v1","fieldsType":"FieldsV1",
           "fieldsV1":{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}},
             "f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{
               ".":{},"f:image":{},"f:ports":{"k:{\\"containerPort\\":8000}":{".":{}}}}}}}}}}]},
       "spec":{"replicas":1,"selector":{"matchLabels":{"app.kubernetes.io/name":"polls"}},
         "template":{"metadata":{"labels":{"app.kubernetes.io/name":"polls"}},
           "spec":{"containers":[{"name":"web","image":"polls:1","args":[],
             "ports":[{"containerPort":8000,"protocol":"TCP"}],
             "resources":{}}]}}},
       "status":{"replicas":1,"conditions":[{"type":"Available","status":"True"}]}}
      """;

  @Test
  void compactingKeepsEveryValueAndDropsEmptyCollections() {
    var deployment = serialization.unmarshal(DEPLOYMENT, Deployment.class);
    JsonNode before = serialization.convertValue(deployment, JsonNode.class);

    assertThat(ObjectCompactor.compact(deployment)).isSameAs(deployment);

    assertThat(serialization.convertValue(deployment, JsonNode.class)).isEqualTo(before);
    var metadata = deployment.getMetadata();
    assertThat(metadata.getFinalizers()).isNotInstanceOf(ArrayList.class).hasSize(0);
    assertThat(metadata.getAnnotations()).isNotInstanceOf(LinkedHashMap.class).hasSize(0);
    assertThat(metadata.getAdditionalProperties()).isNotInstanceOf(LinkedHashMap.class);
    // Non-empty collections stay as they were, so their order is kept.
    assertThat(metadata.getLabels()).isInstanceOf(LinkedHashMap.class);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).isNotInstanceOf(ArrayList.class).hasSize(0);
    assertThat(container.getResources().getLimits()).isNotInstanceOf(LinkedHashMap.class);
    // Managed fields hold one empty map per leaf: those are shared too.
    var fields = metadata.getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
    var labels = (Map<?, ?>) ((Map<?, ?>) fields.get("f:metadata")).get("f:labels");
    assertThat(labels.get("f:app.kubernetes.io/name")).isSameAs(Map.of());
  }

  @Test
  void aWriteIntoACompactedCachedObjectFailsInsteadOfCorruptingTheCache() {
    var deployment = ObjectCompactor.compact(serialization.unmarshal(DEPLOYMENT, Deployment.class));

    assertThatThrownBy(() -> deployment.getMetadata().getAnnotations().put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aCompactedObjectCanStillBeCopiedAndEdited() {
    var deployment = ObjectCompactor.compact(serialization.unmarshal(DEPLOYMENT, Deployment.class));

    var edited = deployment.edit().editMetadata().addToAnnotations("a", "b").endMetadata().build();

    assertThat(edited.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(deployment.getMetadata().getAnnotations()).isEmpty();
  }
}
