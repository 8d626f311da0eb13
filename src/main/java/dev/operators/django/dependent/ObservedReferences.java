package dev.operators.django.dependent;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The user's Secrets and ConfigMaps that a DjangoApp references, as observed: the resourceVersion
 * of each one found (so that a rotated password rolls the pods), and what is missing.
 *
 * @param versions "Kind/name" to resourceVersion, for the references that exist
 * @param problems human-readable descriptions of missing objects or keys; never secret values
 */
public record ObservedReferences(SortedMap<String, String> versions, List<String> problems) {

  public ObservedReferences {
    versions = new TreeMap<>(versions);
    problems = List.copyOf(problems);
  }

  public static ObservedReferences none() {
    return new ObservedReferences(new TreeMap<>(Map.of()), List.of());
  }

  public boolean complete() {
    return problems.isEmpty();
  }
}
