package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.status.StatusAggregator;
import dev.operators.django.status.StatusReporter;
import java.time.Clock;
import java.util.List;

/**
 * An app's first status exactly as the operator applies it (before its Deployment exists), for the
 * benchmark's floor: the direct apply with the apps and their status.
 */
public final class BenchmarkStatus {
  private BenchmarkStatus() {}

  public static DjangoApp firstStatus(DjangoApp app) {
    return StatusReporter.statusOnly(
        app,
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(app, null, ObservedReferences.none(), List.of()),
            Clock.systemUTC()));
  }
}
