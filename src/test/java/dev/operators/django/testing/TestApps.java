package dev.operators.django.testing;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.SuperuserSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.AppInputs;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsConfig;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** DjangoApps for unit tests, starting from the polls sample. */
public final class TestApps {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private TestApps() {}

  public static DjangoApp polls() {
    try {
      var app =
          SERIALIZATION.unmarshal(
              Files.readString(Path.of("deploy/samples/polls.yaml")), DjangoApp.class);
      app.getMetadata().setNamespace("polls");
      app.getMetadata().setUid("uid-1");
      app.getMetadata().setGeneration(1L);
      return app;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** polls, with a superuser from the Secret polls-admin. */
  public static DjangoApp withSuperuser() {
    var app = polls();
    app.getSpec().superuser = new SuperuserSpec();
    app.getSpec().superuser.credentialsSecret = "polls-admin";
    return app;
  }

  public static DjangoApp minimal() {
    return SERIALIZATION.unmarshal(
        """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: blog, namespace: team-a, generation: 1}
        spec:
          image: registry.example.com/blog:2.1.0
        """,
        DjangoApp.class);
  }

  /** Inputs of an app whose image is released, with cert-manager installed and nothing issued. */
  public static AppInputs inputs(DjangoApp app) {
    return inputs(app, OperatorSettings.defaults(), ObservedReferences.none());
  }

  public static AppInputs inputs(
      DjangoApp app, OperatorSettings settings, ObservedReferences references) {
    return new AppInputs(
        settings,
        references,
        tls(app, settings),
        Optional.of(app.getSpec().image),
        HostDecision.NONE);
  }

  /** The TLS outcome of an app before anything is issued: the staging issuer. */
  public static Optional<TlsOutcome> tls(DjangoApp app, OperatorSettings settings) {
    return TlsConfig.of(app, settings)
        .map(
            config ->
                new TlsOutcome(
                    config,
                    IssuerDecision.decide(
                        config,
                        List.of(app.getSpec().ingress.host),
                        new IssuerDecision.Facts(
                            true, Optional.empty(), List.of(), Optional.empty(), Optional.empty())),
                    Optional.empty(),
                    false));
  }

  public static DjangoApp copy(DjangoApp app) {
    return SERIALIZATION.clone(app);
  }
}
