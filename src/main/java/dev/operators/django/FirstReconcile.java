package dev.operators.django;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes when the first reconcile starts: the moment a started operator does its work.
 * java-operator-sdk reconciles as soon as every cache is synced, before its start() returns, so
 * "started" is later. Logged once per JVM, and exported as {@code
 * django_operator_first_reconcile_seconds} (seconds from JVM start; on a standby replica this
 * includes the time it waited for the lease).
 */
final class FirstReconcile implements Metrics {
  private static final Logger log = LoggerFactory.getLogger(FirstReconcile.class);
  private final AtomicBoolean seen = new AtomicBoolean();
  private volatile double seconds = Double.NaN;

  FirstReconcile(MeterRegistry registry) {
    Gauge.builder("django_operator_first_reconcile_seconds", this, first -> first.seconds)
        .description("Seconds from JVM start to the first reconcile (NaN until then)")
        .register(registry);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    if (seen.compareAndSet(false, true)) {
      long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
      seconds = uptime / 1000.0;
      log.info("first reconcile {} ms after JVM start", uptime);
    }
  }
}
