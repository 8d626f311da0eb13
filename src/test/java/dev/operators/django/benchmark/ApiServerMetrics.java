package dev.operators.django.benchmark;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Request counts from the API server's own {@code apiserver_request_total}, by verb and resource,
 * for the resources the operator writes (the controller-manager, scheduler and kwok write pods,
 * ReplicaSets, Leases and the status of Deployments and Jobs, which are left out).
 */
final class ApiServerMetrics {
  private static final Pattern LINE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** resource[/subresource] the operator writes. */
  static final Set<String> OPERATOR_WRITES =
      Set.of(
          "configmaps",
          "secrets",
          "services",
          "deployments",
          "ingresses",
          "jobs",
          "djangoapps/status",
          "statefulsets",
          "cronjobs",
          "horizontalpodautoscalers",
          "poddisruptionbudgets");

  private ApiServerMetrics() {}

  /** "VERB resource[/subresource]" to count. */
  static Map<String, Double> parse(String metrics) {
    var counts = new TreeMap<String, Double>();
    for (var line : metrics.split("\n")) {
      var m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      var labels = new TreeMap<String, String>();
      var l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      var resource =
          labels.getOrDefault("resource", "")
              + (labels.getOrDefault("subresource", "").isEmpty()
                  ? ""
                  : "/" + labels.get("subresource"));
      counts.merge(
          labels.get("verb") + " " + resource, Double.parseDouble(m.group(2)), Double::sum);
    }
    return counts;
  }

  static Map<String, Long> diff(Map<String, Double> before, Map<String, Double> after) {
    var diff = new TreeMap<String, Long>();
    after.forEach(
        (key, value) -> {
          long delta = Math.round(value - before.getOrDefault(key, 0.0));
          if (delta > 0) {
            diff.put(key, delta);
          }
        });
    return diff;
  }

  static boolean isWrite(String key) {
    var verb = key.substring(0, key.indexOf(' '));
    return !verb.equals("GET") && !verb.equals("LIST") && !verb.equals("WATCH");
  }

  /** Writes to the resources the operator owns, by "VERB resource". */
  static Map<String, Long> operatorWrites(Map<String, Long> diff) {
    return operatorResources(diff, true);
  }

  /** Reads (GET, LIST, WATCH) of the resources the operator owns, by "VERB resource". */
  static Map<String, Long> operatorReads(Map<String, Long> diff) {
    return operatorResources(diff, false);
  }

  private static Map<String, Long> operatorResources(Map<String, Long> diff, boolean writes) {
    var counts = new TreeMap<String, Long>();
    diff.forEach(
        (key, value) -> {
          if (isWrite(key) == writes
              && OPERATOR_WRITES.contains(key.substring(key.indexOf(' ') + 1))) {
            counts.put(key, value);
          }
        });
    return counts;
  }

  static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
