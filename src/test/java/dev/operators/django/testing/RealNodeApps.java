package dev.operators.django.testing;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.SuperuserSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/** The test Django app as a DjangoApp on the real node, with the host's PostgreSQL and S3. */
public final class RealNodeApps {
  public static final String HOST = "polls.example.test";
  public static final String ADMIN_PASSWORD = "a-long-admin-password";

  private RealNodeApps() {}

  /** The Secrets {@link #polls} references: database, storage and superuser credentials. */
  public static void createSecrets(KubernetesClient client, String db, String password) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-db")
                .endMetadata()
                .addToStringData(Map.of("username", db, "password", password))
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-static")
                .endMetadata()
                .addToStringData(Map.of("accessKeyId", "test-key", "secretKey", "test-secret"))
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-admin")
                .endMetadata()
                .addToStringData(
                    Map.of(
                        "username",
                        "admin",
                        "email",
                        "admin@example.test",
                        "password",
                        ADMIN_PASSWORD))
                .build())
        .create();
  }

  /** Two replicas of the image, its database {@code db} and its bucket {@code db}. */
  public static DjangoApp polls(String db, String image, boolean superuser) {
    var app =
        new KubernetesSerialization()
            .unmarshal(
                """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: polls}
        spec:
          image: %s
          replicas: 2
          probes: {httpPath: /healthz}
          database: {host: %s, port: %d, name: %s, credentialsSecret: polls-db}
          staticFiles: {bucket: %s, endpointUrl: '%s', credentialsSecret: polls-static}
          ingress: {host: %s}
          resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 384Mi}}
        """
                    .formatted(
                        image,
                        RealNode.GATEWAY,
                        HostServices.POSTGRES_PORT,
                        db,
                        db,
                        HostServices.s3Endpoint(),
                        HOST),
                DjangoApp.class);
    if (superuser) {
      app.getSpec().superuser = new SuperuserSpec();
      app.getSpec().superuser.credentialsSecret = "polls-admin";
    }
    return app;
  }
}
