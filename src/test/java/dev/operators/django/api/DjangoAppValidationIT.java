package dev.operators.django.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD's schema and CEL rules reject bad input at admission, with clear messages. */
@WithCluster
class DjangoAppValidationIT {

  @BeforeEach
  void installCrd(Cluster cluster) {
    OperatorExtension.installCrd(cluster);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      untagged image       | image: docker.io/sammy/sammy-django                 | image must be pinned by a tag or a digest
      untagged with port   | image: registry.local:5000/sammy-django             | image must be pinned by a tag or a digest
      latest tag           | image: docker.io/sammy/sammy-django:latest          | the 'latest' tag is mutable
      negative replicas    | {image: 'app:1.0', replicas: -1}                   | should be greater than or equal to 0
      port out of range    | {image: 'app:1.0', database: {host: db, name: polls, port: 70000}} | should be less than or equal to 65535
      port zero            | {image: 'app:1.0', database: {host: db, name: polls, port: 0}} | should be greater than or equal to 1
      host with scheme     | {image: 'app:1.0', ingress: {host: 'https://polls.example.com'}} | ingress.host must be a DNS name
      host in upper case   | {image: 'app:1.0', ingress: {host: Polls.Example.com}} | ingress.host must be a DNS name
      tls without host     | {image: 'app:1.0', ingress: {className: nginx, tls: {}}} | ingress.tls requires ingress.host
      secret in settings   | {image: 'app:1.0', settings: {env: {DATABASE_PASSWORD: hunter2}}} | settings.env must not set credentials
      nodePort on ClusterIP | {image: 'app:1.0', service: {type: ClusterIP, nodePort: 30080}} | service.nodePort is only valid with service.type NodePort
      two envFrom sources  | {image: 'app:1.0', envFrom: [{configMapRef: {name: a}, secretRef: {name: b}}]} | exactly one of configMapRef or secretRef
      log level            | {image: 'app:1.0', settings: {logLevel: verbose}}   | Unsupported value: "verbose"
      no spec              | ~                                                   | spec is required
      """)
  void rejects(String name, String spec, String message, KubernetesClient client) {
    var yaml = "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
        + "metadata: {name: app}\n" + (spec.equals("~") ? "" : "spec: " + wrap(spec) + "\n");
    assertThatThrownBy(() -> client.resource(yaml).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage()).contains(message);
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "image: docker.io/sammy/sammy-django:1.0.0",
      "image: registry.local:5000/team/app:v2",
      "image: app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "{image: 'app:latest', allowMutableTag: true}",
      "{image: 'app:1.0', ingress: {host: '*.example.com'}, service: {type: NodePort, nodePort: 30080}}",
  })
  void accepts(String spec, KubernetesClient client) {
    var created = client.resource("apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
        + "metadata: {name: app}\nspec: " + wrap(spec) + "\n").create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polls.v2", "a-name-too-long-for-the-names-of-its-jobs"})
  void rejectsNamesThatCannotNameAService(String name, KubernetesClient client) {
    assertThatThrownBy(() -> client.resource("apiVersion: django.operators.dev/v1alpha1\n"
            + "kind: DjangoApp\nmetadata: {name: " + name + "}\nspec: {image: 'app:1.0'}\n")
            .create())
        .isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getStatus().getMessage())
                .contains("metadata.name must be a DNS label of at most 40 characters"));
  }

  private static String wrap(String spec) {
    return spec.startsWith("{") ? spec : "{" + spec + "}";
  }
}
