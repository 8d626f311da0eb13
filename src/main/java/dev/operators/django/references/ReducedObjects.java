package dev.operators.django.references;

import dev.operators.django.kube.Digests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A user's Secret or ConfigMap as the operator keeps it: its key names, the shape of each value
 * ({@link ValueShape}) instead of the value, and a fingerprint of the content. No value is held.
 */
final class ReducedObjects {
  /** Where the reduced cache copy keeps the content fingerprint. */
  static final String FINGERPRINT = "django.operators.dev/content-fingerprint";

  private ReducedObjects() {}

  /** The content fingerprint of a cached (reduced) object; see {@link #reduce}. */
  static String fingerprint(HasMetadata reduced) {
    var annotations = reduced.getMetadata().getAnnotations();
    var cached = annotations == null ? null : annotations.get(FINGERPRINT);
    return cached != null ? cached : contentHash(reduced);
  }

  /** A truncated SHA-256 of the data: changes with the content, reveals nothing of it. */
  static String contentHash(HasMetadata object) {
    var digest = Digests.sha256();
    data(object)
        .forEach(
            (k, v) -> {
              digest.update(k.getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
              digest.update(v.getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
            });
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /**
   * Reduces a Secret or ConfigMap, in place, to what {@link ReferenceWatch#observe} needs: its
   * identity, its key names, each with the shape of its value instead of the value ({@link
   * ValueShape}), and the fingerprint of its content in an annotation.
   */
  static <R extends HasMetadata> R reduce(R object) {
    // From the data, whatever annotations the object came with.
    var fingerprint = contentHash(object);
    var metadata = object.getMetadata();
    metadata.setAnnotations(Map.of(FINGERPRINT, fingerprint));
    metadata.setLabels(Map.of());
    metadata.setManagedFields(List.of());
    var emptied = new TreeMap<String, String>();
    data(object).forEach((k, v) -> emptied.put(k, ValueShape.of(k, decoded(object, v)).name()));
    if (object instanceof Secret secret) {
      secret.setData(emptied);
      secret.setStringData(null);
    } else if (object instanceof ConfigMap configMap) {
      configMap.setData(emptied);
      configMap.setBinaryData(null);
    }
    return object;
  }

  /** A Secret's data is base64; the rest is plain text, or binary that is never an address. */
  private static String decoded(HasMetadata object, String value) {
    if (!(object instanceof Secret)) {
      return value;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  /** All the entries of a Secret (data and stringData) or ConfigMap (data and binaryData). */
  static SortedMap<String, String> data(HasMetadata object) {
    var data = new TreeMap<String, String>();
    if (object instanceof Secret secret) {
      putAll(data, secret.getData());
      putAll(data, secret.getStringData());
    } else if (object instanceof ConfigMap configMap) {
      putAll(data, configMap.getData());
      putAll(data, configMap.getBinaryData());
    }
    return data;
  }

  private static void putAll(Map<String, String> into, Map<String, String> from) {
    if (from != null) {
      into.putAll(from);
    }
  }
}
