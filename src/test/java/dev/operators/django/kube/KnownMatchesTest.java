package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownMatchesTest {
  private static final String DESIRED = "digest-1";

  private static Deployment deployment(UnaryOperator<DeploymentBuilder> change) {
    return change
        .apply(
            new DeploymentBuilder()
                .withNewMetadata()
                .withUid("uid-1")
                .withName("web")
                .withGeneration(3L)
                .withResourceVersion("100")
                .addToLabels("app", "web")
                .addToAnnotations("note", "a")
                .addNewOwnerReference()
                .withUid("app-uid")
                .endOwnerReference()
                .addToManagedFields(
                    new ManagedFieldsEntryBuilder()
                        .withManager("django-operator")
                        .withOperation("Apply")
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .endSpec()
                .withNewStatus()
                .withReplicas(0)
                .endStatus())
        .build();
  }

  private static KnownMatches afterAMatch(HasMetadata child) {
    var known = new KnownMatches();
    known.record(child, DESIRED, true);
    return known;
  }

  @Test
  void aStatusUpdateKeepsTheAnswer() {
    var known = afterAMatch(deployment(d -> d));

    var statusChanged =
        deployment(
            d ->
                d.editMetadata()
                    .withResourceVersion("101")
                    .endMetadata()
                    .editStatus()
                    .withReplicas(1)
                    .withAvailableReplicas(1)
                    .endStatus());

    assertThat(known.known(statusChanged, DESIRED)).isTrue();
  }

  @Test
  void aNewDesiredObjectIsComparedAgain() {
    assertThat(afterAMatch(deployment(d -> d)).known(deployment(d -> d), "digest-2")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"generation", "label", "annotation", "owner", "managed fields", "finalizer"})
  void aChangeToWhatTheOperatorMayOwnIsComparedAgain(String what) {
    var known = afterAMatch(deployment(d -> d));

    var changed =
        deployment(
            d ->
                switch (what) {
                  case "generation" -> d.editMetadata().withGeneration(4L).endMetadata();
                  case "label" -> d.editMetadata().addToLabels("app", "other").endMetadata();
                  case "annotation" -> d.editMetadata().addToAnnotations("note", "b").endMetadata();
                  case "owner" -> d.editMetadata().withOwnerReferences().endMetadata();
                  case "managed fields" -> d.editMetadata().withManagedFields().endMetadata();
                  case "finalizer" ->
                      d.editMetadata().addToFinalizers("someone/else").endMetadata();
                  default -> throw new IllegalArgumentException(what);
                });

    assertThat(known.known(changed, DESIRED)).isFalse();
  }

  @Test
  void withoutAGenerationAnyChangeIsComparedAgain() {
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withUid("uid-2")
            .withResourceVersion("7")
            .endMetadata()
            .build();
    var known = afterAMatch(service);
    var changed =
        new ServiceBuilder(service).editMetadata().withResourceVersion("8").endMetadata().build();

    assertThat(known.known(service, DESIRED)).isTrue();
    assertThat(known.known(changed, DESIRED)).isFalse();
  }

  @Test
  void aMismatchOrADeletionForgets() {
    var child = deployment(d -> d);
    var known = afterAMatch(child);
    known.record(child, DESIRED, false);
    assertThat(known.known(child, DESIRED)).isFalse();

    known.record(child, DESIRED, true);
    known.forget(child);
    assertThat(known.known(child, DESIRED)).isFalse();
    assertThat(known.size()).isZero();
  }

  /** Hash codes that collide by construction give different digests. */
  @Test
  void desiredObjectsWhoseHashCodesCollideAreToldApart() {
    var owner = deployment(d -> d);
    var aa =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("k", "Aa")
            .build();
    var bb = new ConfigMapBuilder(aa).addToData("k", "BB").build();
    var swapped =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("Aa", "k")
            .build();

    assertThat(aa.hashCode()).isEqualTo(bb.hashCode());
    assertThat(KnownMatches.digest(aa, owner))
        .isNotEqualTo(KnownMatches.digest(bb, owner))
        .isNotEqualTo(KnownMatches.digest(swapped, owner))
        .isEqualTo(KnownMatches.digest(new ConfigMapBuilder(aa).build(), owner));
  }

  @Test
  void anotherOwnerVersionGivesAnotherDigest() {
    var child = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
    var owner = deployment(d -> d);
    var movedOwner = deployment(d -> d.withApiVersion("apps/v2"));

    assertThat(KnownMatches.digest(child, owner))
        .isNotEqualTo(KnownMatches.digest(child, movedOwner));
  }

  @Test
  void anotherObjectOfTheSameNameIsNotKnown() {
    var known = afterAMatch(deployment(d -> d));

    var recreated = deployment(d -> d.editMetadata().withUid("uid-9").endMetadata());

    assertThat(known.known(recreated, DESIRED)).isFalse();
  }
}
