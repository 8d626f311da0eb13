package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.IngressSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which foreign Ingress an app takes its host over from (spec.ingress.replaces), and no other. */
class HostHandoverTest {

  static Ingress ingress(String namespace, String name, boolean operators) {
    var builder =
        new IngressBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata();
    if (operators) {
      builder
          .editMetadata()
          .withLabels(Map.of("app.kubernetes.io/managed-by", "django-operator"))
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("django.operators.dev/v1alpha1")
                  .withKind("DjangoApp")
                  .withName(name)
                  .withUid("u-" + name)
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return builder.build();
  }

  /** replaces, the serving Ingress -> whether the app takes the host over from it. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("polls-ingress", ingress("team-a", "polls-ingress", false), true),
        Arguments.of(null, ingress("team-a", "polls-ingress", false), false),
        Arguments.of("polls-ingress", ingress("team-a", "other", false), false),
        // another namespace's Ingress of the same name is someone else's site
        Arguments.of("polls-ingress", ingress("team-b", "polls-ingress", false), false),
        // an app never takes a host over from another app
        Arguments.of("polls-ingress", ingress("team-a", "polls-ingress", true), false));
  }

  @ParameterizedTest(name = "[{index}] replaces={0}")
  @MethodSource("cases")
  void takesOverOnlyTheNamedForeignIngressOfItsNamespace(
      String replaces, Ingress serving, boolean replaced) {
    var app = TestApps.minimal();
    app.getMetadata().setNamespace("team-a");
    app.getSpec().ingress = new IngressSpec();
    app.getSpec().ingress.host = "polls.example.test";
    app.getSpec().ingress.replaces = replaces;
    assertThat(HostDecision.replaced(app, serving)).isEqualTo(replaced);
  }
}
