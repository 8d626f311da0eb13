package dev.operators.django.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the DjangoApp CRD from the API classes with fabric8's CRDGenerator, into each directory
 * given as an argument. Run by Maven in process-test-classes into target/crd; the update-crd
 * profile writes crd/, deploy/crd/ and the Helm chart's files/ (its templates/crd.yaml).
 *
 * <p>The generator sorts printer columns by JSON path; kubectl shows them in CRD order, so they are
 * put back in the order they are declared on {@link DjangoApp} (Ready first, Age last). The
 * schema's root gets {@link DjangoApp#DESCRIPTION}, which the generator has no annotation for.
 */
public final class CrdGeneration {
  private CrdGeneration() {}

  /** Arguments: output directories, each possibly a comma-separated list. */
  public static void main(String[] outputDirectories) {
    for (var directory :
        Arrays.stream(outputDirectories).flatMap(d -> Arrays.stream(d.split(","))).toList()) {
      var dir = new File(directory);
      dir.mkdirs();
      new CRDGenerator()
          .customResourceClasses(DjangoApp.class)
          .forCRDVersions("v1")
          .withParallelGenerationEnabled(false)
          .withPostProcessor(new DeclaredColumnOrder())
          .inOutputDir(dir)
          .generate();
    }
  }

  static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> declared =
          Arrays.stream(DjangoApp.class.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        version.getSchema().getOpenAPIV3Schema().setDescription(DjangoApp.DESCRIPTION);
        version
            .getAdditionalPrinterColumns()
            .sort(
                Comparator.comparingInt(
                    (CustomResourceColumnDefinition column) -> declared.indexOf(column.getName())));
      }
      return crd;
    }
  }
}
