package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.ServiceSpec;
import dev.operators.django.testing.TestApps;
import org.junit.jupiter.api.Test;

class ServiceDependentTest {

  @Test
  void clusterIpPort8000ToGunicornByDefault() {
    var service = ServiceDependent.build(TestApps.polls());
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/instance", "polls")
        .doesNotContainKey("app.kubernetes.io/managed-by");
    var port = service.getSpec().getPorts().get(0);
    assertThat(port.getPort()).isEqualTo(8000);
    assertThat(port.getTargetPort().getStrVal()).isEqualTo("gunicorn");
    assertThat(port.getNodePort()).isNull();
  }

  @Test
  void nodePortWhenAsked() {
    var app = TestApps.polls();
    app.getSpec().service = new ServiceSpec();
    app.getSpec().service.type = ServiceSpec.Type.NodePort;
    app.getSpec().service.nodePort = 30080;
    var service = ServiceDependent.build(app);
    assertThat(service.getSpec().getType()).isEqualTo("NodePort");
    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30080);
  }
}
