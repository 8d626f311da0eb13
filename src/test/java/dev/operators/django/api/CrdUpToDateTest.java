package dev.operators.django.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when the committed CRD differs from the one generated from the API classes (Maven
 * generates it into target/crd before the tests). Fix: ./mvnw -Pupdate-crd process-test-classes,
 * then commit crd/.
 */
class CrdUpToDateTest {
  static final String FILE = "djangoapps.django.operators.dev-v1.yml";

  @Test
  void committedCrdsMatchTheApiClasses() throws IOException {
    var generated = Files.readString(Path.of("target/crd", FILE));
    for (var dir : List.of("crd", "deploy/crd", "helm/django-operator/files")) {
      assertThat(Files.readString(Path.of(dir, FILE)))
          .as(
              "%s/%s is stale: run ./mvnw -Pupdate-crd process-test-classes and commit it",
              dir, FILE)
          .isEqualTo(generated);
    }
  }

  /** kubectl explain shows these; fabric8's own model types (resources, conditions) excepted. */
  @Test
  void everyFieldOfOursIsDescribed() throws IOException {
    var crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(Path.of("crd", FILE)), CustomResourceDefinition.class);
    var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    var undescribed = new ArrayList<String>();
    for (var top : List.of("spec", "status")) {
      collectUndescribed(top, schema.getProperties().get(top), undescribed);
    }
    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(String path, JSONSchemaProps props, List<String> out) {
    if (Set.of(
            "spec.resources",
            "spec.processes[].resources",
            "spec.schedules[].resources",
            "status.conditions")
        .contains(path)) {
      return;
    }
    if (!path.contains(".") || props.getDescription() != null) {
      if (props.getProperties() != null) {
        props
            .getProperties()
            .forEach((name, child) -> collectUndescribed(path + "." + name, child, out));
      }
      if (props.getItems() != null
          && props.getItems().getSchema() != null
          && props.getItems().getSchema().getProperties() != null) {
        props
            .getItems()
            .getSchema()
            .getProperties()
            .forEach((name, child) -> collectUndescribed(path + "[]." + name, child, out));
      }
    } else {
      out.add(path);
    }
  }
}
