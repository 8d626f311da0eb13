package dev.operators.django.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packages' imports run one way, from the flow down to the settings, with no cycle. Read from
 * the sources: every mention of {@code dev.operators.django.<package>} in a file of another
 * package, imports and inline names alike. A package may use those on a lower layer; packages on
 * one layer are independent of each other.
 */
class PackageLayersTest {
  private static final Logger log = LoggerFactory.getLogger(PackageLayersTest.class);
  private static final Path SOURCES = Path.of("src/main/java/dev/operators/django");
  private static final Pattern MENTION = Pattern.compile("dev\\.operators\\.django\\.([a-z]+)\\.");

  /** Top to bottom. The root package holds the entry point (DjangoOperator) and boot code. */
  static final List<Set<String>> LAYERS =
      List.of(
          Set.of(""),
          Set.of("reconciler"),
          Set.of("status"),
          Set.of("release", "dependent"),
          Set.of("workload"),
          Set.of("tls", "references", "hosts", "leader"),
          Set.of("api"),
          Set.of("kube"),
          Set.of("config"));

  @Test
  void importsRunDownTheLayersOnly() throws IOException {
    var graph = graph();
    log.info("package graph (from -> to):\n{}", render(graph));
    var violations = new ArrayList<String>();
    graph.forEach(
        (from, targets) ->
            targets.forEach(
                to -> {
                  if (layer(to) <= layer(from)) {
                    violations.add(name(from) + " -> " + name(to));
                  }
                }));
    assertThat(violations).as("imports that run up or sideways").isEmpty();
  }

  @Test
  void everyPackageHasALayer() throws IOException {
    assertThat(graph().keySet()).allSatisfy(p -> assertThat(layer(p)).isNotNegative());
  }

  @Test
  void theScanSeesTheKnownArrows() throws IOException {
    // guards the scan itself: an empty graph would pass the layering test
    assertThat(graph().get("reconciler")).contains("release", "status", "dependent");
    assertThat(graph().get("dependent")).contains("api");
  }

  private static int layer(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  static Map<String, Set<String>> graph() throws IOException {
    var graph = new TreeMap<String, Set<String>>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var relative = SOURCES.relativize(file.getParent()).toString();
        var from = relative.replace('/', '.');
        var targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
        var matcher = MENTION.matcher(Files.readString(file));
        while (matcher.find()) {
          if (!matcher.group(1).equals(from)) {
            targets.add(matcher.group(1));
          }
        }
      }
    }
    return graph;
  }

  private static String render(Map<String, Set<String>> graph) {
    var out = new StringBuilder();
    graph.forEach(
        (from, targets) ->
            out.append(String.format("  %-11s -> %s%n", name(from), String.join(", ", targets))));
    return out.toString();
  }

  private static String name(String pkg) {
    return pkg.isEmpty() ? "(root)" : pkg;
  }
}
