package dev.operators.django.testing.certmanager;

import static org.awaitility.Awaitility.await;

import dev.operators.django.testing.ControlPlaneBinaries;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The real cert-manager CRDs, from the pinned cert-manager Go module (see build.sh). */
public final class CertManagerCrds {
  private CertManagerCrds() {}

  public static void install(KubernetesClient client) {
    for (var crd : crds(client)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .fieldManager("django-operator-tests")
          .forceConflicts()
          .serverSideApply();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                crds(client).stream()
                    .allMatch(
                        crd -> {
                          var current =
                              client
                                  .apiextensions()
                                  .v1()
                                  .customResourceDefinitions()
                                  .withName(crd.getMetadata().getName())
                                  .get();
                          return current != null
                              && current.getStatus() != null
                              && current.getStatus().getConditions().stream()
                                  .anyMatch(
                                      c ->
                                          "Established".equals(c.getType())
                                              && "True".equals(c.getStatus()));
                        }));
  }

  public static void uninstall(KubernetesClient client) {
    for (var crd : crds(client)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .delete();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                crds(client).stream()
                    .allMatch(
                        crd ->
                            client
                                    .apiextensions()
                                    .v1()
                                    .customResourceDefinitions()
                                    .withName(crd.getMetadata().getName())
                                    .get()
                                == null));
  }

  private static List<CustomResourceDefinition> crds(KubernetesClient client) {
    var dir = ControlPlaneBinaries.build().certManagerCrds();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .sorted()
          .map(
              file -> {
                try {
                  return client
                      .getKubernetesSerialization()
                      .unmarshal(
                          Files.readString(file).replaceFirst("^---\\s*\\n", ""),
                          CustomResourceDefinition.class);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
