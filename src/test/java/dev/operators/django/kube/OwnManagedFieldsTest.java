package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnManagedFieldsTest {
  private static final KubernetesSerialization OPERATOR = OperatorSerialization.create("me");

  private static String deployment(String managedFields) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"ns","managedFields":%s,
                     "labels":{"app":"web"}},
         "spec":{"replicas":2}}"""
        .formatted(managedFields);
  }

  private static final String THEIRS =
      """
      {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1",
       "time":"2026-11-22T10:00:00Z","fieldsType":"FieldsV1",
       "fieldsV1":{"f:status":{"f:replicas":{},"f:conditions":{".":{},
         "k:{\\"type\\":\\"Available\\"}":{"f:status":{}}}}},"subresource":"status"}""";

  private static final String MINE =
      """
      {"manager":"me","operation":"Apply","apiVersion":"apps/v1","time":"2026-11-22T10:00:01Z",
       "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}""";

  @Test
  void keepsOnlyTheOperatorsEntryWhole() {
    var read = OPERATOR.unmarshal(deployment("[" + THEIRS + "," + MINE + "]"), Deployment.class);

    assertThat(read.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getManager()).isEqualTo("me");
              assertThat(entry.getOperation()).isEqualTo("Apply");
              assertThat(entry.getApiVersion()).isEqualTo("apps/v1");
              assertThat(entry.getTime()).isEqualTo("2026-11-22T10:00:01Z");
              assertThat(entry.getFieldsType()).isEqualTo("FieldsV1");
              assertThat(entry.getSubresource()).isNull();
              assertThat(entry.getFieldsV1().getAdditionalProperties())
                  .isEqualTo(Map.of("f:spec", Map.of("f:replicas", Map.of())));
            });
    // What follows the skipped entries is read as before.
    assertThat(read.getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
    assertThat(read.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void readsTheSameEntryAsTheModelDoes() {
    var json = deployment("[" + MINE + "]");
    ManagedFieldsEntry expected =
        new KubernetesSerialization()
            .unmarshal(json, Deployment.class)
            .getMetadata()
            .getManagedFields()
            .get(0);

    assertThat(OPERATOR.unmarshal(json, Deployment.class).getMetadata().getManagedFields())
        .containsExactly(expected);
  }

  @Test
  void findsTheManagerWhereverItStandsAndSkipsUnknownFields() {
    var managerLast =
        """
        {"fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}},"future":{"x":[1,{"y":2}]},
         "operation":"Update","manager":"me"}""";
    var theirsManagerLast =
        """
        {"fieldsV1":{"f:data":{}},"operation":"Update","manager":"kubectl"}""";
    var noManager =
        """
        {"operation":"Update","fieldsV1":{"f:data":{}}}""";

    var read =
        OPERATOR.unmarshal(
            deployment("[" + theirsManagerLast + "," + noManager + "," + managerLast + "]"),
            Deployment.class);

    assertThat(read.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getManager()).isEqualTo("me");
              assertThat(entry.getAdditionalProperties()).isEmpty();
              assertThat(entry.getFieldsV1().getAdditionalProperties())
                  .isEqualTo(Map.of("f:data", Map.of("f:a", Map.of())));
            });
  }

  @Test
  void anObjectWithoutTheOperatorsEntryHasNone() {
    assertThat(
            OPERATOR
                .unmarshal(deployment("[" + THEIRS + "]"), Deployment.class)
                .getMetadata()
                .getManagedFields())
        .isEmpty();
    assertThat(
            OPERATOR.unmarshal(deployment("[]"), Deployment.class).getMetadata().getManagedFields())
        .isEmpty();
  }

  @Test
  void writesWhatItReads() {
    var read = OPERATOR.unmarshal(deployment("[" + THEIRS + "," + MINE + "]"), Deployment.class);

    var again = OPERATOR.unmarshal(OPERATOR.asJson(read), Deployment.class);

    assertThat(again).isEqualTo(read);
  }

  @Test
  void aMalformedListIsAnError() {
    assertThatThrownBy(
            () ->
                OPERATOR.unmarshal(
                    "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"managedFields\":[1]}}",
                    ConfigMap.class))
        .rootCause()
        .hasMessageContaining("managedFields: expected an object");
  }
}
