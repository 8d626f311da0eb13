package dev.operators.django.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** A real Kubernetes cluster that tests run against: the local control plane, or k3s. */
public interface Cluster extends AutoCloseable {

  /** The kubeconfig of a cluster administrator (system:masters). */
  String kubeconfigYaml();

  /** What the API server reports as its gitVersion, for example {@code v1.35.4}. */
  String serverVersion();

  /** Whether fake pods progress by themselves (kwok); false on k3s, where a kubelet runs them. */
  boolean podsAreSimulated();

  default Config config(String namespace) {
    var config = Config.fromKubeconfig(kubeconfigYaml());
    config.setNamespace(namespace);
    return config;
  }

  default KubernetesClient client(String namespace) {
    return new KubernetesClientBuilder().withConfig(config(namespace)).build();
  }

  @Override
  void close();
}
