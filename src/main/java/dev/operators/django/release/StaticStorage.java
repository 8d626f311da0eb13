package dev.operators.django.release;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.references.ObservedReferences;
import java.util.Optional;

/**
 * Whether the app keeps its static files in a bucket, so that {@code collectstatic} must run for
 * every image before it serves: when {@code spec.staticFiles} says so, and equally when the storage
 * setting comes from the user's own {@code envFrom} sources. The tutorial keeps {@code
 * STATIC_BUCKET_NAME} and {@code STATIC_ENDPOINT_URL} in its ConfigMap and the Spaces keys in its
 * Secret; a user who moved them over as they were expects the same collectstatic as one who wrote
 * {@code spec.staticFiles}, and skipping it would serve the next image's pages unstyled. Without a
 * bucket the static files come with the image (WhiteNoise and the like), and collectstatic belongs
 * to the image build.
 */
public final class StaticStorage {
  private StaticStorage() {}

  /** The variable the environment contract reads the bucket from (spec.staticFiles.bucket). */
  public static final String BUCKET_VARIABLE = "STATIC_BUCKET_NAME";

  /**
   * Where the bucket setting comes from, for people: {@code spec.staticFiles}, or the envFrom
   * source that provides {@value #BUCKET_VARIABLE}; empty when the app has no bucket. Only key
   * names are looked at (a Secret's values never reach the operator's cache).
   */
  public static Optional<String> source(DjangoApp app, ObservedReferences refs) {
    var spec = app.getSpec();
    if (spec.staticFiles != null) {
      return Optional.of("spec.staticFiles");
    }
    for (int i = 0; i < spec.envFrom.size(); i++) {
      var from = spec.envFrom.get(i);
      var kind = from.configMapRef != null ? "ConfigMap" : "Secret";
      var name = from.configMapRef != null ? from.configMapRef.name : from.secretRef.name;
      var prefix = from.prefix == null ? "" : from.prefix;
      if (refs.keysOf(kind, name).stream().anyMatch(k -> (prefix + k).equals(BUCKET_VARIABLE))) {
        return Optional.of(
            BUCKET_VARIABLE + " from " + kind + " " + name + " (spec.envFrom[" + i + "])");
      }
    }
    return Optional.empty();
  }
}
