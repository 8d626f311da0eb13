package dev.operators.django.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The children already found to match their desired state, so that the next reconcile of an
 * unchanged child skips the comparison.
 *
 * <p>java-operator-sdk's server-side-apply matcher turns the actual and the desired object into
 * maps and compares what the operator owns; that was a tenth of the operator's CPU with 1,000 apps,
 * and most of it repeated a comparison already made: a Deployment's status changes several times
 * while it rolls out, and each change reconciles its app. The matcher reads only the operator's own
 * fields, so its answer holds while neither side changes: the desired object (by its {@link
 * #digest}) and the child's {@link #version}.
 *
 * <p>The desired object is known by a SHA-256 digest of its full text form (the model's {@code
 * toString}, which names every field), not by {@code hashCode}: Java's hash codes collide by
 * construction (a map's is the sum of its entries', "Aa" and "BB" hash alike), and a collision
 * would leave a change unapplied. Kept in memory: a restarted operator compares each child once
 * more.
 */
public final class KnownMatches {
  private record Match(Object version, String desired) {}

  private final Map<String, Match> byUid = new ConcurrentHashMap<>();

  /** Whether {@code actual} was found to match the desired object of this digest, as it is now. */
  public boolean known(HasMetadata actual, String desired) {
    var uid = actual.getMetadata().getUid();
    return uid != null && new Match(version(actual), desired).equals(byUid.get(uid));
  }

  /** Records the matcher's answer for {@code actual} against the desired object of this digest. */
  public void record(HasMetadata actual, String desired, boolean matched) {
    var uid = actual.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    if (matched) {
      byUid.put(uid, new Match(version(actual), desired));
    } else {
      byUid.remove(uid);
    }
  }

  /**
   * The digest of a desired object and of the owner it will be given (the owner reference is added
   * to the object only after this).
   */
  public static String digest(HasMetadata desired, HasMetadata owner) {
    var sha = Digests.sha256();
    sha.update(desired.toString().getBytes(StandardCharsets.UTF_8));
    sha.update(
        ("\n" + owner.getApiVersion() + "/" + owner.getKind() + "/" + owner.getMetadata().getUid())
            .getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(sha.digest());
  }

  public void forget(HasMetadata child) {
    var uid = child.getMetadata().getUid();
    if (uid != null) {
      byUid.remove(uid);
    }
  }

  int size() {
    return byUid.size();
  }

  /**
   * What changes whenever anyone changes what the operator may own of a child. Where the kind keeps
   * a generation, it counts every change of the spec, and status updates leave it alone; metadata
   * is outside it, so the labels, annotations, owners and the operator's managed-fields entry are
   * added. Otherwise any change counts (the resource version).
   */
  static Object version(HasMetadata child) {
    var metadata = child.getMetadata();
    var generation = metadata.getGeneration();
    if (generation == null || generation == 0) {
      return metadata.getResourceVersion();
    }
    return List.of(
        generation,
        Objects.hash(
            metadata.getLabels(),
            metadata.getAnnotations(),
            metadata.getOwnerReferences(),
            metadata.getManagedFields(),
            metadata.getFinalizers()));
  }
}
