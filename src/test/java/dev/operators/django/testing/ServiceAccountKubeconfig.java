package dev.operators.django.testing;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.util.List;

/**
 * A kubeconfig for the cluster that authenticates as a ServiceAccount with a bound token from the
 * TokenRequest API, the way a pod's projected token does: a process run with it has exactly the
 * permissions the installed RBAC grants that account, nothing from the test's admin identity.
 */
public final class ServiceAccountKubeconfig {
  private ServiceAccountKubeconfig() {}

  public static String of(Cluster cluster, KubernetesClient admin, String namespace, String name) {
    return of(cluster, admin, namespace, name, 3600);
  }

  /** The same, with a token valid for the given number of seconds. */
  public static String of(
      Cluster cluster,
      KubernetesClient admin,
      String namespace,
      String name,
      long expirationSeconds) {
    var token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(expirationSeconds)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    var config = KubeConfigUtils.parseConfigFromString(cluster.kubeconfigYaml());
    var user = "system:serviceaccount:" + namespace + ":" + name;
    var authInfo = new AuthInfo();
    authInfo.setToken(token);
    config.setUsers(List.of(new NamedAuthInfo(user, authInfo)));
    config.getContexts().forEach(c -> c.getContext().setUser(user));
    return admin.getKubernetesSerialization().asYaml(config);
  }
}
