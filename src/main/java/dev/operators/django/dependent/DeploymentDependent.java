package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Digests;
import dev.operators.django.workload.DjangoSettings;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/** The Deployment running gunicorn; its pod template is built by {@link DjangoPodTemplate}. */
public class DeploymentDependent extends ChildDependent<Deployment>
    implements Creator<Deployment, DjangoApp>,
        Updater<Deployment, DjangoApp>,
        GarbageCollected<DjangoApp> {
  public static final String NAME = "deployment";

  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app, AppInputs.from(context), SecretKeyDependent.uid(context));
  }

  static Deployment build(DjangoApp app, AppInputs inputs, Optional<String> secretKeyUid) {
    var image = inputs.webImage().orElseThrow();
    var template =
        DjangoPodTemplate.build(
            app, inputs.references(), image, configHash(app, inputs, secretKeyUid));
    template
        .getSpec()
        .setTopologySpreadConstraints(
            TopologySpread.of(app, DjangoAppResources.selector(app, DjangoAppResources.WEB)));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(DjangoAppResources.deployment(app))
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .endMetadata()
        .withNewSpec()
        // Unset replicas leave the field to whoever scales the Deployment (an HPA).
        .withReplicas(app.getSpec().replicas)
        .withNewSelector()
        .withMatchLabels(DjangoAppResources.selector(app, DjangoAppResources.WEB))
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  /**
   * A hash of what the pods read only at start: the ConfigMap's data, the generated key Secret's
   * identity, and the versions of the referenced Secrets and ConfigMaps. When it changes, the pod
   * template changes and the pods roll.
   */
  static String configHash(DjangoApp app, AppInputs inputs, Optional<String> secretKeyUid) {
    var digest = Digests.sha256();
    DjangoSettings.data(app)
        .forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
    digest.update(
        ("secret-key=" + secretKeyUid.orElse("") + "\n").getBytes(StandardCharsets.UTF_8));
    inputs
        .references()
        .versions()
        .forEach(
            (ref, version) ->
                digest.update((ref + "@" + version + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** The web Deployment in the informer cache. */
  public static Optional<Deployment> current(DjangoApp app, Context<DjangoApp> context) {
    return cached(context, Deployment.class, NAME, DjangoAppResources.deployment(app), app);
  }

  /** The image the web Deployment runs. */
  public static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.deployment(app);
  }

  /** The web's Deployment only: the processes' have their own informer. */
  @Override
  protected String labelSelector() {
    return DjangoAppResources.WEB_SELECTOR;
  }
}
