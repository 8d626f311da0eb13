package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.IngressSpec;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may have a host, from the claimants and servers the caches hold: a table. */
class HostDecisionTest {
  static final String HOST = "shop.example.test";
  static final String DAY1 = "2026-01-01T00:00:00Z";
  static final String DAY2 = "2026-01-02T00:00:00Z";
  static final String DAY3 = "2026-01-03T00:00:00Z";

  /** The app asking, created on day 2, with the host as its Ingress host. */
  static final DjangoApp SELF = app("a", "shop", DAY2, HOST);

  /**
   * One row: who else claims and serves the host, and what the app is refused.
   *
   * @param reason empty: the host is the app's
   */
  record Row(
      String name,
      List<DjangoApp> others,
      List<Ingress> servers,
      String reason,
      String messagePart,
      boolean ingressHostRefused) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    var older = app("b", "shop", DAY1, HOST);
    var younger = app("b", "shop", DAY3, HOST);
    return Stream.of(
        new Row("no one else", List.of(), List.of(), "", "", false),
        new Row(
            "an older app claims it",
            List.of(older),
            List.of(),
            "HostConflict",
            "is already claimed by DjangoApp b/shop",
            true),
        new Row("a younger app claims it", List.of(younger), List.of(), "", "", false),
        new Row(
            "a younger app serves it, the app does not",
            List.of(younger),
            List.of(ingressOf(younger, DAY3)),
            "HostConflict",
            "is already served by DjangoApp b/shop",
            true),
        new Row(
            "the app serves it, an older app only claims it",
            List.of(older),
            List.of(ingressOf(SELF, DAY2)),
            "",
            "",
            false),
        new Row(
            "an older foreign Ingress serves it",
            List.of(),
            List.of(foreign(DAY1)),
            "HostServedElsewhere",
            "is already served by Ingress b/other (created 2026-01-01T00:00:00Z), which"
                + " django-operator does not manage",
            true),
        new Row(
            "a younger foreign Ingress, the app serves it",
            List.of(),
            List.of(foreign(DAY3), ingressOf(SELF, DAY2)),
            "",
            "",
            false),
        new Row(
            "a younger foreign Ingress, the app does not serve it yet",
            List.of(),
            List.of(foreign(DAY3)),
            "HostServedElsewhere",
            "is already served by Ingress b/other",
            true),
        new Row(
            "the Ingress of a deleted app claims nothing",
            List.of(),
            List.of(ingressOf(older, DAY1)),
            "",
            "",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    var claimants = Stream.concat(Stream.of(SELF), row.others().stream()).toList();
    var decision =
        HostDecision.decide(
            SELF,
            host ->
                host.equals(HOST)
                    ? new HostDecision.Facts(claimants, row.servers())
                    : new HostDecision.Facts(List.of(SELF), List.of()));
    assertThat(decision.any()).isEqualTo(!row.reason().isEmpty());
    assertThat(decision.ingressHostRefused()).isEqualTo(row.ingressHostRefused());
    if (decision.any()) {
      assertThat(decision.reason()).isEqualTo(row.reason());
      assertThat(decision.message()).contains(row.messagePart());
      assertThat(decision.refused()).containsOnlyKeys(HOST);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void anExtraAllowedHostIsRefusedWithoutTakingTheIngressAway(Row row) {
    var app = app("a", "shop", DAY2, "own.example.test");
    app.getSpec().settings = new SettingsSpec();
    app.getSpec().settings.allowedHosts = List.of(HOST);
    var claimants = Stream.concat(Stream.of(app), row.others().stream()).toList();
    var servers =
        row.servers().stream()
            .map(s -> s.getMetadata().getName().equals("shop") && isOwnedBy(s, SELF) ? null : s)
            .filter(s -> s != null)
            .toList();
    var decision =
        HostDecision.decide(
            app,
            host ->
                host.equals(HOST)
                    ? new HostDecision.Facts(claimants, servers)
                    : new HostDecision.Facts(List.of(app), List.of()));
    assertThat(decision.ingressHostRefused()).isFalse();
    if (decision.any()) {
      assertThat(decision.refused()).containsOnlyKeys(HOST);
    }
  }

  private static boolean isOwnedBy(Ingress ingress, DjangoApp app) {
    return IngressHosts.ownerUid(ingress).filter(app.getMetadata().getUid()::equals).isPresent();
  }

  static DjangoApp app(String namespace, String name, String created, String host) {
    var app = TestApps.minimal();
    app.getMetadata().setNamespace(namespace);
    app.getMetadata().setName(name);
    app.getMetadata().setUid("uid-" + namespace + "-" + name + "-" + created);
    app.getMetadata().setCreationTimestamp(created);
    app.getSpec().ingress = new IngressSpec();
    app.getSpec().ingress.host = host;
    return app;
  }

  /** The Ingress django-operator made for the app. */
  static Ingress ingressOf(DjangoApp app, String created) {
    return new IngressBuilder()
        .withNewMetadata()
        .withNamespace(app.getMetadata().getNamespace())
        .withName(app.getMetadata().getName())
        .withCreationTimestamp(created)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "django-operator"))
        .addNewOwnerReference()
        .withApiVersion("django.operators.dev/v1alpha1")
        .withKind("DjangoApp")
        .withName(app.getMetadata().getName())
        .withUid(app.getMetadata().getUid())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .addNewRule()
        .withHost(HOST)
        .endRule()
        .endSpec()
        .build();
  }

  /** An Ingress django-operator does not manage. */
  static Ingress foreign(String created) {
    return new IngressBuilder()
        .withNewMetadata()
        .withNamespace("b")
        .withName("other")
        .withCreationTimestamp(created)
        .endMetadata()
        .withNewSpec()
        .addNewRule()
        .withHost(HOST)
        .endRule()
        .endSpec()
        .build();
  }
}
