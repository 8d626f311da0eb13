package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/**
 * Spread of a component's pods across nodes and zones, as a preference: a cluster with one zone, or
 * too few nodes, still schedules them all. Each rollout's pods are spread among themselves
 * (pod-template-hash), so that the old ReplicaSet's pods do not skew the new one's placement.
 */
public final class TopologySpread {
  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";

  private TopologySpread() {}

  /** Whether the spec leaves topology spread on (the default). */
  public static boolean enabled(DjangoApp app) {
    var availability = app.getSpec().availability;
    return availability == null || !Boolean.FALSE.equals(availability.topologySpread);
  }

  /** The constraints for pods of this selector; null when turned off, so nothing is applied. */
  static List<TopologySpreadConstraint> of(DjangoApp app, Map<String, String> selector) {
    if (!enabled(app)) {
      return null;
    }
    return List.of(constraint(HOSTNAME, selector), constraint(ZONE, selector));
  }

  private static TopologySpreadConstraint constraint(String key, Map<String, String> selector) {
    return new TopologySpreadConstraintBuilder()
        .withTopologyKey(key)
        .withMaxSkew(1)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector()
        .withMatchLabels(selector)
        .endLabelSelector()
        .withMatchLabelKeys("pod-template-hash")
        .build();
  }
}
