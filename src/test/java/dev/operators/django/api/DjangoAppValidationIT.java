package dev.operators.django.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
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
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      untagged image       | image: docker.io/sammy/sammy-django                 | image must be pinned by a tag or a digest
      untagged with port   | image: registry.local:5000/sammy-django             | image must be pinned by a tag or a digest
      latest tag           | image: docker.io/sammy/sammy-django:latest          | the 'latest' tag is mutable
      negative replicas    | {image: 'app:1.0', replicas: -1}                   | should be greater than or equal to 0
      port out of range    | {image: 'app:1.0', database: {host: db, name: polls, port: 70000}} | should be less than or equal to 65535
      port zero            | {image: 'app:1.0', database: {host: db, name: polls, port: 0}} | should be greater than or equal to 1
      host with scheme     | {image: 'app:1.0', ingress: {host: 'https://polls.example.com'}} | ingress.host must be a DNS name
      host in upper case   | {image: 'app:1.0', ingress: {host: Polls.Example.com}} | ingress.host must be a DNS name
      tls without host     | {image: 'app:1.0', ingress: {className: nginx, tls: {}}} | ingress.host is required
      ingress without host | {image: 'app:1.0', ingress: {className: nginx}}     | ingress.host is required: an Ingress without a host catches every request
      wildcard host        | {image: 'app:1.0', ingress: {host: '*.example.test'}} | ingress.host must be a DNS name
      IP as host           | {image: 'app:1.0', ingress: {host: 10.0.0.1}}       | ingress.host must be a DNS name
      host with port       | {image: 'app:1.0', ingress: {host: 'polls.example.com:443'}} | ingress.host must be a DNS name
      host with underscore | {image: 'app:1.0', ingress: {host: polls_app.example.com}} | ingress.host must be a DNS name
      host trailing dot    | {image: 'app:1.0', ingress: {host: polls.example.com.}} | ingress.host must be a DNS name
      70-character label   | {image: 'app:1.0', ingress: {host: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com}} | ingress.host must be a DNS name
      path traversal       | {image: 'app:1.0', ingress: {host: a.example.com, path: /../admin}} | ingress.path must be a plain URL path
      percent-encoded path | {image: 'app:1.0', ingress: {host: a.example.com, path: '/a%2Fb'}} | ingress.path must be a plain URL path
      double slash path    | {image: 'app:1.0', ingress: {host: a.example.com, path: '//a'}} | ingress.path must be a plain URL path
      dot segment path     | {image: 'app:1.0', ingress: {host: a.example.com, path: /a/./b}} | ingress.path must be a plain URL path
      relative path        | {image: 'app:1.0', ingress: {host: a.example.com, path: polls}} | ingress.path must be a plain URL path
      class in upper case  | {image: 'app:1.0', ingress: {host: a.example.com, className: Nginx}} | ingress.className must name an IngressClass
      annotation with space | {image: 'app:1.0', ingress: {host: a.example.com, annotations: {'bad key': x}}} | ingress.annotations key bad key is not an annotation key
      annotation two slashes | {image: 'app:1.0', ingress: {host: a.example.com, annotations: {'a/b/c': x}}} | ingress.annotations key a/b/c is not an annotation key
      annotation 64 chars  | {image: 'app:1.0', ingress: {host: a.example.com, annotations: {example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x}}} | is not an annotation key
      image upper case     | image: registry.example.com/Team/app:1.0            | image must be an image reference
      image double colon   | image: 'app::1.0'                                   | image must be an image reference
      image leading space  | image: ' app:1.0'                                   | image must be an image reference
      image with scheme    | image: 'https://registry.example.com/app:1.0'       | image must be an image reference
      image short digest   | image: 'app:1.0@sha256:abc'                         | image must be an image reference
      image with space     | image: 'app:1.0 latest'                             | image must be an image reference
      resource claims      | {image: 'app:1.0', resources: {claims: [{name: gpu}]}} | resources.claims (dynamic resource allocation) is not supported
      runAsUser too large  | {image: 'app:1.0', runAsUser: 2147483648}           | should be less than or equal to 2147483647
      runAsUser root       | {image: 'app:1.0', runAsUser: 0}                    | should be greater than or equal to 1
      too many replicas    | {image: 'app:1.0', replicas: 1001}                  | should be less than or equal to 1000
      secret name with slash | {image: 'app:1.0', database: {host: db, name: polls, credentialsSecret: polls/db}} | must name a Secret
      secret name upper case | {image: 'app:1.0', secretKey: {secretName: Polls}} | must name a Secret
      superuser secret traversal | {image: 'app:1.0', superuser: {credentialsSecret: ../admin}} | must name a Secret
      storage secret spaces | {image: 'app:1.0', staticFiles: {bucket: abc, endpointUrl: 'https://s3.example.com', credentialsSecret: 'a b'}} | must name a Secret
      envFrom name spaces  | {image: 'app:1.0', envFrom: [{configMapRef: {name: 'a b'}}]} | must name a ConfigMap or Secret
      envFrom prefix equals | {image: 'app:1.0', envFrom: [{secretRef: {name: a}, prefix: 'A=B'}]} | envFrom prefix must start an environment variable name
      envFrom prefix digit | {image: 'app:1.0', envFrom: [{secretRef: {name: a}, prefix: 1ST_}]} | envFrom prefix must start an environment variable name
      own cluster issuer   | {image: 'app:1.0', ingress: {host: a.test, annotations: {'cert-manager.io/cluster-issuer': mine}}} | ingress.annotations must not set cert-manager.io/cluster-issuer: the operator names the cert-manager issuer from spec.ingress.tls
      own issuer           | {image: 'app:1.0', ingress: {host: a.test, annotations: {'cert-manager.io/issuer': mine}}} | ingress.annotations must not set cert-manager.io/issuer:
      own issuer kind      | {image: 'app:1.0', ingress: {host: a.test, annotations: {'cert-manager.io/issuer-kind': Issuer}}} | ingress.annotations must not set cert-manager.io/issuer-kind:
      own issuer group     | {image: 'app:1.0', ingress: {host: a.test, annotations: {'cert-manager.io/issuer-group': x.io}}} | ingress.annotations must not set cert-manager.io/issuer-group:
      owned DEBUG          | {image: 'app:1.0', settings: {env: {DEBUG: 'False'}}} | settings.env must not set DEBUG: the operator sets it from spec.settings.debug, use that field instead
      owned hosts          | {image: 'app:1.0', settings: {env: {DJANGO_ALLOWED_HOSTS: '*'}}} | settings.env must not set DJANGO_ALLOWED_HOSTS: the operator sets it from spec.settings.allowedHosts
      owned database host  | {image: 'app:1.0', settings: {env: {DATABASE_HOST: db}}} | settings.env must not set DATABASE_HOST: the operator sets it from spec.database.host
      owned log level      | {image: 'app:1.0', settings: {env: {DJANGO_LOGLEVEL: debug}}} | settings.env must not set DJANGO_LOGLEVEL: the operator sets it from spec.settings.logLevel
      owned password       | {image: 'app:1.0', settings: {env: {DATABASE_PASSWORD: hunter2}}} | settings.env must not set DATABASE_PASSWORD: the operator sets it from spec.database.credentialsSecret
      owned secret key     | {image: 'app:1.0', settings: {env: {DJANGO_SECRET_KEY: x}}} | settings.env must not set DJANGO_SECRET_KEY: the operator sets it from spec.secretKey
      AWS secret           | {image: 'app:1.0', settings: {env: {AWS_SECRET_ACCESS_KEY: x}}} | settings.env.AWS_SECRET_ACCESS_KEY looks like a credential
      AWS key id           | {image: 'app:1.0', settings: {env: {AWS_ACCESS_KEY_ID: x}}} | settings.env.AWS_ACCESS_KEY_ID looks like a credential
      token                | {image: 'app:1.0', settings: {env: {SENTRY_AUTH_TOKEN: x}}} | settings.env.SENTRY_AUTH_TOKEN looks like a credential
      api key              | {image: 'app:1.0', settings: {env: {STRIPE_API_KEY: x}}} | settings.env.STRIPE_API_KEY looks like a credential
      lower-case password  | {image: 'app:1.0', settings: {env: {email_password: x}}} | settings.env.email_password looks like a credential
      credentials file     | {image: 'app:1.0', settings: {env: {GOOGLE_CREDENTIALS: x}}} | settings.env.GOOGLE_CREDENTIALS looks like a credential
      superuser password   | {image: 'app:1.0', settings: {env: {DJANGO_SUPERUSER_PASSWORD: x}}} | settings.env.DJANGO_SUPERUSER_PASSWORD looks like a credential
      password in a URL    | {image: 'app:1.0', settings: {env: {DATABASE_URL: 'postgres://polls:hunter2@db/polls'}}} | settings.env.DATABASE_URL embeds a password in a URL
      empty allowed host   | {image: 'app:1.0', settings: {allowedHosts: ['']}} | settings.allowedHosts takes one host per item
      comma in a host      | {image: 'app:1.0', settings: {allowedHosts: ['a.test,*']}} | settings.allowedHosts takes one host per item
      space in a host      | {image: 'app:1.0', settings: {allowedHosts: ['a.test b.test']}} | settings.allowedHosts takes one host per item
      wildcard allowed host | {image: 'app:1.0', settings: {allowedHosts: ['*.example.test']}} | settings.allowedHosts item *.example.test never matches: Django knows no *.example.com, write .example.com
      no database host     | {image: 'app:1.0', database: {name: polls}}       | database.host is required, except with engine: sqlite3
      nodePort on ClusterIP | {image: 'app:1.0', service: {type: ClusterIP, nodePort: 30080}} | service.nodePort is only valid with service.type NodePort
      two envFrom sources  | {image: 'app:1.0', envFrom: [{configMapRef: {name: a}, secretRef: {name: b}}]} | exactly one of configMapRef or secretRef
      log level            | {image: 'app:1.0', settings: {logLevel: verbose}}   | Unsupported value: "verbose"
      no spec              | ~                                                   | spec is required
      """)
  void rejects(String name, String spec, String message, KubernetesClient client) {
    var yaml =
        "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
            + "metadata: {name: app}\n"
            + (spec.equals("~") ? "" : "spec: " + wrap(spec) + "\n");
    // As kubectl apply --server-side sends it.
    assertThatThrownBy(() -> client.resource(yaml).fieldManager("kubectl").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              // No rule of ours is reported against "<nil>" (a root rule without a field path);
              // the API server's own "some validation rules were not checked" note may be.
              assertThat(e.getStatus().getMessage())
                  .contains(message)
                  .doesNotContain("<nil>: Invalid value: \"object\"");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "image: docker.io/sammy/sammy-django:1.0.0",
        "image: registry.local:5000/team/app:v2",
        "image: app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "{image: 'app:latest', allowMutableTag: true}",
        "{image: 'app:1.0', ingress: {host: polls.example.com}, service: {type: NodePort, nodePort: 30080}}",
        "{image: 'registry.local:5000/team/app_v2:1.0-rc.1', runAsUser: 2147483647,"
            + " resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: '1', memory: 1Gi}}}",
        "{image: 'app:1.0', ingress: {host: a-b.example.co.uk, path: /polls/v1/, className:"
            + " internal.nginx, annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}}}",
        "{image: 'app:1.0', envFrom: [{secretRef: {name: polls-secret.v2}, prefix: LEGACY_}]}",
        "{image: 'app:1.0', ingress: {host: a.test, annotations: {'nginx.ingress.kubernetes.io/proxy-body-size': 10m, 'cert-manager.io/duration': 2160h}}}",
        "{image: 'app:1.0', database: {engine: sqlite3, name: /data/db.sqlite3}}",
        "{image: 'app:1.0', settings: {env: {DJANGO_SETTINGS_MODULE: mysite.settings,"
            + " STRIPE_PUBLISHABLE_KEY: pk_test, RECAPTCHA_SITE_KEY: x, CACHE_KEY_PREFIX: polls,"
            + " STATIC_URL: 'https://cdn.example.com/static/', SECURE_SSL_REDIRECT: 'True'}}}",
        "{image: 'app:1.0', settings: {allowedHosts: ['.example.com', 'localhost', '[::1]']}}",
      })
  void accepts(String spec, KubernetesClient client) {
    var created =
        client
            .resource(
                "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
                    + "metadata: {name: app}\nspec: "
                    + wrap(spec)
                    + "\n")
            .create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polls.v2", "a-name-too-long-for-the-names-of-its-jobs"})
  void rejectsNamesThatCannotNameAService(String name, KubernetesClient client) {
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        "apiVersion: django.operators.dev/v1alpha1\n"
                            + "kind: DjangoApp\nmetadata: {name: "
                            + name
                            + "}\nspec: {image: 'app:1.0'}\n")
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getStatus().getMessage())
                    .contains("metadata.name must be a DNS label of at most 40 characters"));
  }

  /**
   * What admission cannot know, because it depends on the platform's settings or on other objects,
   * is reported on the app by the operator: Ready=False and Stalled=True with the reason and a
   * message that names the cause. {@code before} is applied first (an owner app, or an Ingress that
   * django-operator does not manage) and awaited until it serves.
   */
  @Nested
  class Reported {
    @RegisterExtension final OperatorExtension operator = new OperatorExtension();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        nullValues = "-",
        textBlock =
            """
        server-snippet        | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {nginx.ingress.kubernetes.io/server-snippet: 'location / { return 200; }'}}} | AnnotationRefused | nginx.ingress.kubernetes.io/server-snippet (INGRESS_ANNOTATIONS_DENY pattern nginx.ingress.kubernetes.io/*-snippet (the default)) is refused
        configuration-snippet | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {nginx.ingress.kubernetes.io/configuration-snippet: 'more_set_headers x'}}} | AnnotationRefused | nginx.ingress.kubernetes.io/configuration-snippet (INGRESS_ANNOTATIONS_DENY pattern
        F5 server-snippets    | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {nginx.org/server-snippets: 'return 200;'}}} | AnnotationRefused | nginx.org/server-snippets (INGRESS_ANNOTATIONS_DENY pattern nginx.org/*-snippets
        auth-url injection    | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {nginx.ingress.kubernetes.io/auth-url: 'http://x/#;}}}'}}} | AnnotationRefused | nginx.ingress.kubernetes.io/auth-url (INGRESS_ANNOTATIONS_DENY pattern
        mirror-target         | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {nginx.ingress.kubernetes.io/mirror-target: 'https://collector.example.net$request_uri'}}} | AnnotationRefused | nginx.ingress.kubernetes.io/mirror-target
        Traefik middleware of another namespace | - | {image: 'app:1.0', ingress: {host: a.test, annotations: {traefik.ingress.kubernetes.io/router.middlewares: 'kube-system-admin-auth@kubernetescrd'}}} | AnnotationRefused | it names kube-system-admin-auth@kubernetescrd of another namespace
        host of another app   | {image: 'app:1.0', ingress: {host: taken.a.test}} | {image: 'app:1.0', ingress: {host: taken.a.test}} | HostConflict | host taken.a.test is already served by DjangoApp
        allowed host of another app | {image: 'app:1.0', ingress: {host: taken.a.test}} | {image: 'app:1.0', ingress: {host: b.test}, settings: {allowedHosts: [taken.a.test]}} | HostConflict | host taken.a.test is already served by DjangoApp
        host of a foreign Ingress | foreign | {image: 'app:1.0', ingress: {host: taken.a.test}} | HostServedElsewhere | host taken.a.test is already served by Ingress
        quantity only the API server checks | - | {image: 'app:1.0', resources: {requests: {memory: 12 GB}}} | ApplyFailed | quantities must match the regular expression
        """)
    void reports(
        String name,
        String before,
        String spec,
        String reason,
        String message,
        KubernetesClient client) {
      if ("foreign".equals(before)) {
        client
            .resource(
                """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: legacy}
            spec:
              rules:
                - host: taken.a.test
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: legacy, port: {number: 80}}}}
            """)
            .create();
      } else if (before != null) {
        client
            .resource(
                "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
                    + "metadata: {name: owner}\nspec: "
                    + before
                    + "\n")
            .create();
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> client.network().v1().ingresses().withName("owner").get() != null);
      }
      client
          .resource(
              "apiVersion: django.operators.dev/v1alpha1\nkind: DjangoApp\n"
                  + "metadata: {name: app}\nspec: "
                  + wrap(spec)
                  + "\n")
          .fieldManager("kubectl")
          .serverSideApply();
      var ready =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    var app = client.resources(DjangoApp.class).withName("app").get();
                    return app.getStatus() == null
                        ? null
                        : app.getStatus().conditions.stream()
                            .filter(c -> "Ready".equals(c.getType()))
                            .findFirst()
                            .orElse(null);
                  },
                  c -> c != null && reason.equals(c.getReason()));
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getMessage()).contains(message);
      var app = client.resources(DjangoApp.class).withName("app").get();
      assertThat(app.getStatus().conditions)
          .filteredOn(c -> "Stalled".equals(c.getType()))
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(app.getStatus().observedGeneration).isEqualTo(1L);
    }
  }

  private static String wrap(String spec) {
    return spec.startsWith("{") ? spec : "{" + spec + "}";
  }
}
