package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.IngressSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What host ownership's caches cost per object: every Ingress of the watched namespaces (the
 * operator's and foreign ones), kept reduced, and for every DjangoApp only its entry in the host
 * index on the controller's own cache (its claimed hosts; the app itself is not copied). Measured
 * as the heap after a full GC with and without 5,000 objects; the bound guards the reduction.
 */
class ReducedStoreMemoryTest {
  private static final Logger log = LoggerFactory.getLogger(ReducedStoreMemoryTest.class);
  static final int COUNT = 5_000;

  @Test
  void aReducedIngressAndAReducedAppCostASmallFractionOfAFullOne() {
    long fullIngress = perObject(i -> ingress(i));
    long reducedIngress = perObject(i -> IngressHosts.reduce(ingress(i)));
    long reducedApp = perObject(i -> List.copyOf(HostClaims.of(app(i))));
    log.info(
        "bytes per object on the heap: Ingress as the API server sends it {}, reduced {};"
            + " DjangoApp's host index entry {}",
        fullIngress,
        reducedIngress,
        reducedApp);
    assertThat(reducedIngress).isLessThan(1_500).isLessThan(fullIngress / 3);
    assertThat(reducedApp).isLessThan(1_500);
  }

  private static long perObject(IntFunction<Object> make) {
    long before = usedAfterGc();
    var kept = new ArrayList<Object>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      kept.add(make.apply(i));
    }
    long after = usedAfterGc();
    assertThat(kept).hasSize(COUNT);
    return (after - before) / COUNT;
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  static Ingress ingress(int i) {
    var name = "shop-" + i;
    return new IngressBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-" + (i % 50))
        .withUid(UUID.randomUUID().toString())
        .withResourceVersion("" + (1000 + i))
        .withCreationTimestamp("2026-01-01T00:00:00Z")
        .withGeneration(1L)
        .withLabels(
            Map.of(
                "app.kubernetes.io/name",
                "django",
                "app.kubernetes.io/instance",
                name,
                "app.kubernetes.io/component",
                "web",
                "app.kubernetes.io/part-of",
                name,
                "app.kubernetes.io/managed-by",
                "django-operator"))
        .withAnnotations(
            Map.of(
                "cert-manager.io/cluster-issuer",
                "letsencrypt-prod",
                "cert-manager.io/secret-template",
                "{\"labels\":{\"a\":\"b\"}}",
                "nginx.ingress.kubernetes.io/proxy-body-size",
                "10m"))
        .addNewOwnerReference()
        .withApiVersion("django.operators.dev/v1alpha1")
        .withKind("DjangoApp")
        .withName(name)
        .withUid("uid-" + i)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .addNewManagedField()
        .withManager("django-operator")
        .withOperation("Apply")
        .withApiVersion("networking.k8s.io/v1")
        .withFieldsType("FieldsV1")
        .withFieldsV1(new FieldsV1())
        .withTime("2026-01-01T00:00:00Z")
        .endManagedField()
        .endMetadata()
        .withNewSpec()
        .withIngressClassName("nginx")
        .addNewTl()
        .withHosts(name + ".example.test")
        .withSecretName(name + "-tls")
        .endTl()
        .addNewRule()
        .withHost(name + ".example.test")
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(name)
        .withNewPort()
        .withNumber(8000)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .withNewStatus()
        .withNewLoadBalancer()
        .addNewIngress()
        .withIp("10.0.0.1")
        .endIngress()
        .endLoadBalancer()
        .endStatus()
        .build();
  }

  static DjangoApp app(int i) {
    var app = TestApps.minimal();
    app.getMetadata().setName("shop-" + i);
    app.getMetadata().setNamespace("team-" + (i % 50));
    app.getMetadata().setUid(UUID.randomUUID().toString());
    app.getMetadata().setResourceVersion("" + (1000 + i));
    app.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    app.getSpec().ingress = new IngressSpec();
    app.getSpec().ingress.host = "shop-" + i + ".example.test";
    return app;
  }
}
