package dev.operators.django.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.jackson.BeanPropertyWriterDelegate;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSerializationTest {
  private static final String BLACKBIRD = "com.fasterxml.jackson.module.blackbird";

  @Test
  void blackbirdIsTheVersionOfJacksonDatabind() {
    assertThat(com.fasterxml.jackson.module.blackbird.PackageVersion.VERSION.toString())
        .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
  }

  /**
   * Blackbird's lambdas write every property and construct every object that is read. Setters
   * stay reflective: fabric8 wraps each of them (UnmatchedFieldTypeModule) before any module can
   * replace it.
   */
  @Test
  void writesPropertiesAndCreatesObjectsWithoutReflection() throws Exception {
    var mapper = new ObjectMapper();
    OperatorSerialization.create("django-operator", mapper);
    var context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
        .createInstance(mapper.getDeserializationConfig(), null, null);
    var deserializer = (BeanDeserializerBase) context.findRootValueDeserializer(
        mapper.constructType(ObjectMeta.class));
    var serializer = (BeanSerializerBase) mapper.getSerializerProviderInstance()
        .findValueSerializer(ObjectMeta.class);

    var writer = serializer.properties();
    var name = writer.next();
    while (!name.getName().equals("name")) {
      name = writer.next();
    }

    Object inner = name;
    if (name instanceof BeanPropertyWriterDelegate) { // fabric8's wrapper keeps its delegate private
      var delegate = BeanPropertyWriterDelegate.class.getDeclaredField("delegate");
      delegate.setAccessible(true);
      inner = delegate.get(name);
    }

    assertThat(inner.getClass().getName()).startsWith(BLACKBIRD);
    assertThat(deserializer.getValueInstantiator().getClass().getName()).startsWith(BLACKBIRD);
  }

  /** The same JSON as fabric8's own mapping, both ways, unknown fields included. */
  @Test
  void writesAndReadsTheModelAsFabric8Does() {
    var plain = new KubernetesSerialization();
    var operator = OperatorSerialization.create("django-operator");
    var deployment = new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("ns").addToLabels("app", "web")
          .addToAdditionalProperties("futureField", Map.of("x", 1)).endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
          .addNewContainer().withName("web").withImage("django:1").addNewPort()
            .withContainerPort(8000).endPort().endContainer()
        .endSpec().endTemplate().endSpec()
        .build();

    var json = operator.asJson(deployment);

    assertThat(json).isEqualTo(plain.asJson(deployment));
    assertThat(operator.unmarshal(json, Deployment.class))
        .isEqualTo(plain.unmarshal(json, Deployment.class)).isEqualTo(deployment);
  }
}
