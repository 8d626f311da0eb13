package dev.operators.django.testing;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * k3s in a container, for machines with a Docker engine ({@code DJANGO_OPERATOR_TEST_CLUSTER=k3s}).
 * Its kubelet runs real containers, so pods pull their images instead of being faked by kwok.
 */
final class K3sCluster implements Cluster {
  static final String DEFAULT_IMAGE = "rancher/k3s:v1.35.4-k3s1";

  private final K3sContainer container;
  private final String serverVersion;

  private K3sCluster(K3sContainer container) {
    this.container = container;
    try (var client = new KubernetesClientBuilder().withConfig(config("default")).build()) {
      this.serverVersion = client.getKubernetesVersion().getGitVersion();
    }
  }

  static K3sCluster start() {
    var image = System.getenv().getOrDefault("DJANGO_OPERATOR_K3S_IMAGE", DEFAULT_IMAGE);
    var container = new K3sContainer(DockerImageName.parse(image));
    container.start();
    return new K3sCluster(container);
  }

  @Override
  public String kubeconfigYaml() {
    return container.getKubeConfigYaml();
  }

  @Override
  public String serverVersion() {
    return serverVersion;
  }

  @Override
  public boolean podsAreSimulated() {
    return false;
  }

  @Override
  public void close() {
    container.stop();
  }
}
