package dev.operators.django;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.reconciler.DjangoAppReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;

/**
 * The operator registered as it is at start, without a cluster (as the AOT training does), for
 * tests that inspect what java-operator-sdk made of the reconciler's annotations.
 */
public final class AotTrainingAccess {
  private AotTrainingAccess() {}

  /** The registered controller; close it to close its client. */
  public record Registered(
      KubernetesClient client,
      DjangoAppReconciler reconciler,
      ControllerConfiguration<DjangoApp> controller)
      implements AutoCloseable {

    /** Every kind the operator watches, as the AOT training derives it. */
    public Set<Class<? extends HasMetadata>> kinds() throws Exception {
      return AotTraining.kinds(reconciler, controller, client);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  public static Registered register(OperatorSettings settings) {
    var config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    var client = DjangoOperator.clientBuilder().withConfig(config).build();
    var registry = new SimpleMeterRegistry();
    var reconciler = new DjangoAppReconciler(settings, registry);
    var controller =
        AotTraining.configuration(DjangoOperator.register(client, settings, registry, reconciler));
    return new Registered(client, reconciler, controller);
  }
}
