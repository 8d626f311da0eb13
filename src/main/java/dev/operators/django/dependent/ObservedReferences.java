package dev.operators.django.dependent;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The user's Secrets and ConfigMaps that a DjangoApp references, as observed: a fingerprint of
 * each one's content (so that a rotated password rolls the pods, and a label change does not),
 * and what is missing.
 *
 * @param versions "Kind/name" to a truncated SHA-256 of the content, for the references found
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

  public java.util.Optional<String> fingerprint(String kind, String name) {
    return java.util.Optional.ofNullable(versions.get(kind + "/" + name));
  }

  public boolean complete() {
    return problems.isEmpty();
  }
}
