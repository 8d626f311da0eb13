package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.module.blackbird.PackageVersion;
import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSerializationTest {
  private static final String BLACKBIRD = "com.fasterxml.jackson.module.blackbird";

  @Test
  void blackbirdIsTheVersionOfJacksonDatabind() {
    assertThat(PackageVersion.VERSION.toString())
        .isEqualTo(new ObjectMapper().version().toString());
  }

  /**
   * Blackbird's lambdas write every property, set every property and construct every object that is
   * read; no property is wrapped by fabric8's UnmatchedFieldTypeModule.
   */
  @Test
  void writesAndReadsPropertiesWithoutReflection() throws Exception {
    var mapper = new ObjectMapper();
    OperatorSerialization.create("django-operator", mapper);
    var context =
        ((DefaultDeserializationContext) mapper.getDeserializationContext())
            .createInstance(mapper.getDeserializationConfig(), null, null);
    var deserializer =
        (BeanDeserializerBase)
            context.findRootValueDeserializer(mapper.constructType(ObjectMeta.class));
    var serializer =
        (BeanSerializerBase)
            mapper.getSerializerProviderInstance().findValueSerializer(ObjectMeta.class);

    var writers = new ArrayList<String>();
    serializer.properties().forEachRemaining(w -> writers.add(w.getClass().getName()));
    var setters = new ArrayList<String>();
    deserializer
        .properties()
        .forEachRemaining(
            p -> {
              if (!p.getName().equals("managedFields")) { // read by OwnManagedFields
                setters.add(p.getClass().getName());
              }
            });

    assertThat(writers)
        .hasSizeGreaterThan(10)
        .filteredOn(w -> !w.endsWith("AnyGetterWriter")) // additionalProperties
        .allSatisfy(w -> assertThat(w).startsWith(BLACKBIRD));
    assertThat(setters).hasSizeGreaterThan(10).allSatisfy(p -> assertThat(p).startsWith(BLACKBIRD));
    assertThat(deserializer.getValueInstantiator().getClass().getName()).startsWith(BLACKBIRD);
  }

  /** The same JSON as fabric8's own mapping, both ways, unknown fields included. */
  @Test
  void writesAndReadsTheModelAsFabric8Does() {
    var plain = new KubernetesSerialization();
    var operator = OperatorSerialization.create("django-operator");
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("ns")
            .addToLabels("app", "web")
            .addToAdditionalProperties("futureField", Map.of("x", 1))
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage("django:1")
            .addNewPort()
            .withContainerPort(8000)
            .endPort()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();

    var json = operator.asJson(deployment);

    assertThat(json).isEqualTo(plain.asJson(deployment));
    assertThat(operator.unmarshal(json, Deployment.class))
        .isEqualTo(plain.unmarshal(json, Deployment.class))
        .isEqualTo(deployment);
  }

  /**
   * A copy equals the original and shares nothing with it: java-operator-sdk hands the copy to the
   * reconciler so that nothing done to it reaches the informer cache.
   */
  @Test
  void copiesDeeply() {
    var operator = OperatorSerialization.create("django-operator");
    var app =
        operator.unmarshal(
            """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata:
          name: polls
          namespace: ns
          uid: 6f1c1f9e-1d2a-4c57-9a55-0c5d3f9b8a11
          labels: {team: a}
          managedFields:
          - {manager: django-operator, operation: Apply, subresource: status,
             fieldsType: FieldsV1, fieldsV1: {"f:status": {"f:image": {}}}}
          - {manager: kubectl, operation: Update, fieldsType: FieldsV1,
             fieldsV1: {"f:spec": {"f:image": {}}}}
        spec:
          image: docker.io/sammy/sammy-django:1.0.0
          replicas: 2
          settings: {allowedHosts: [polls.example.com]}
        status:
          image: docker.io/sammy/sammy-django:1.0.0
          conditions:
          - {type: Ready, status: "True", reason: Ready, message: ok, observedGeneration: 1}
        """,
            DjangoApp.class);

    var copy = operator.clone(app);

    assertThat(copy).isNotSameAs(app);
    assertThat(operator.asJson(copy)).isEqualTo(operator.asJson(app));
    assertThat(copy.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(entry -> assertThat(entry.getManager()).isEqualTo("django-operator"));
    copy.getMetadata().getLabels().put("team", "b");
    copy.getSpec().settings.allowedHosts.add("other.example.com");
    copy.getStatus().conditions.get(0).setStatus("False");
    assertThat(app.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(app.getSpec().settings.allowedHosts).containsExactly("polls.example.com");
    assertThat(app.getStatus().conditions.get(0).getStatus()).isEqualTo("True");
  }
}
