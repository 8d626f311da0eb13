package dev.operators.django.references;

import dev.operators.django.api.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The user's Secrets and ConfigMaps that a DjangoApp references, as observed: a fingerprint of each
 * one's content (so that a rotated password rolls the pods, and a label change does not), its key
 * names, and what is missing or unusable.
 *
 * @param versions "Kind/name" to a truncated SHA-256 of the content, for the references found
 * @param keys "Kind/name" to the object's key names, for the references found
 * @param problems missing objects or keys, and unusable values; never a secret value
 */
public record ObservedReferences(
    SortedMap<String, String> versions, Map<String, Set<String>> keys, List<Problem> problems) {

  /** Why a reference cannot be used yet. */
  public enum Reason {
    /** The object or one of its keys does not exist. */
    ReferenceNotFound,
    /** The object exists, but a value cannot work (an invalid email, an empty password). */
    ReferenceInvalid
  }

  /** One problem with a reference; the message names the object and key, never a value. */
  public ObservedReferences {
    versions = new TreeMap<>(versions);
    keys = Map.copyOf(keys);
    problems = List.copyOf(problems);
  }

  public ObservedReferences(SortedMap<String, String> versions, List<Problem> problems) {
    this(versions, Map.of(), problems);
  }

  public static ObservedReferences none() {
    return new ObservedReferences(new TreeMap<>(Map.of()), Map.of(), List.of());
  }

  public Optional<String> fingerprint(String kind, String name) {
    return Optional.ofNullable(versions.get(kind + "/" + name));
  }

  /** The key names of a referenced object, empty when it was not found. */
  public Set<String> keysOf(String kind, String name) {
    return keys.getOrDefault(kind + "/" + name, Set.of());
  }

  public boolean complete() {
    return problems.isEmpty();
  }
}
