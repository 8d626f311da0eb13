package dev.operators.django.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The children already found to match their desired state, so that the next reconcile of an
 * unchanged child skips the comparison.
 *
 * <p>java-operator-sdk's server-side-apply matcher turns the actual and the desired object into
 * maps and compares what the operator owns; that was a tenth of the operator's CPU with 1,000
 * apps, and most of it repeated a comparison already made: a Deployment's status changes several
 * times while it rolls out, and each change reconciles its app. The matcher reads only the
 * operator's own fields, so its answer holds while neither side changes: the desired object (by
 * its hash) and the child's {@link #version}.
 *
 * <p>Kept in memory: a restarted operator compares each child once more. A hash collision (one in
 * 2^32 per change of the desired object) would leave a change unapplied until the next change of
 * the app or the child.
 */
final class KnownMatches {
  private record Match(Object version, int desired) {}

  private final Map<String, Match> byUid = new ConcurrentHashMap<>();

  /** Whether {@code actual} was found to match a desired object of this hash, as it is now. */
  boolean known(HasMetadata actual, int desiredHash) {
    var uid = actual.getMetadata().getUid();
    return uid != null && new Match(version(actual), desiredHash).equals(byUid.get(uid));
  }

  /** Records the matcher's answer for {@code actual} against a desired object of this hash. */
  void record(HasMetadata actual, int desiredHash, boolean matched) {
    var uid = actual.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    if (matched) {
      byUid.put(uid, new Match(version(actual), desiredHash));
    } else {
      byUid.remove(uid);
    }
  }

  void forget(HasMetadata child) {
    var uid = child.getMetadata().getUid();
    if (uid != null) {
      byUid.remove(uid);
    }
  }

  int size() {
    return byUid.size();
  }

  /**
   * What changes whenever anyone changes what the operator may own of a child. Where the kind
   * keeps a generation, it counts every change of the spec, and status updates leave it alone;
   * metadata is outside it, so the labels, annotations, owners and the operator's managed-fields
   * entry are added. Otherwise any change counts (the resource version).
   */
  static Object version(HasMetadata child) {
    var metadata = child.getMetadata();
    var generation = metadata.getGeneration();
    if (generation == null || generation == 0) {
      return metadata.getResourceVersion();
    }
    return List.of(generation, Objects.hash(metadata.getLabels(), metadata.getAnnotations(),
        metadata.getOwnerReferences(), metadata.getManagedFields(), metadata.getFinalizers()));
  }
}
