package dev.operators.django.references;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.references.ObservedReferences.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which user Secrets and ConfigMaps a DjangoApp's spec names, what it needs of each (the field that
 * names it, the keys, and what their values must look like), and what is wrong with one that was
 * found. Pure functions of the spec and of the reduced objects' shapes.
 */
final class References {
  private References() {}

  /** What a reference needs of a key. */
  enum Requirement {
    PRESENT,
    NOT_BLANK,
    EMAIL
  }

  /** A reference from the spec: what it is, and which keys the app needs from it. */
  record Reference(String kind, String name, String field, Map<String, Requirement> keys) {}

  /** What the spec references, with the keys the app needs of each. */
  static List<Reference> of(DjangoApp app) {
    var spec = app.getSpec();
    var refs = new ArrayList<Reference>();
    if (spec.secretKey != null) {
      refs.add(
          new Reference(
              "Secret",
              spec.secretKey.secretName,
              "spec.secretKey",
              Map.of(
                  spec.secretKey.key != null ? spec.secretKey.key : DjangoAppResources.SECRET_KEY,
                  Requirement.NOT_BLANK)));
    }
    if (spec.database != null && spec.database.credentialsSecret != null) {
      refs.add(
          new Reference(
              "Secret",
              spec.database.credentialsSecret,
              "spec.database.credentialsSecret",
              Map.of("username", Requirement.PRESENT, "password", Requirement.PRESENT)));
    }
    if (spec.staticFiles != null && spec.staticFiles.credentialsSecret != null) {
      refs.add(
          new Reference(
              "Secret",
              spec.staticFiles.credentialsSecret,
              "spec.staticFiles.credentialsSecret",
              Map.of("accessKeyId", Requirement.PRESENT, "secretKey", Requirement.PRESENT)));
    }
    if (spec.superuser != null) {
      refs.add(
          new Reference(
              "Secret",
              spec.superuser.credentialsSecret,
              "spec.superuser.credentialsSecret",
              Map.of(
                  "username",
                  Requirement.NOT_BLANK,
                  "email",
                  Requirement.EMAIL,
                  "password",
                  Requirement.NOT_BLANK)));
    }
    for (int i = 0; i < spec.envFrom.size(); i++) {
      var source = spec.envFrom.get(i);
      var field = "spec.envFrom[" + i + "]";
      if (source.configMapRef != null) {
        refs.add(new Reference("ConfigMap", source.configMapRef.name, field, Map.of()));
      } else if (source.secretRef != null) {
        refs.add(new Reference("Secret", source.secretRef.name, field, Map.of()));
      }
    }
    return refs;
  }

  /** A problem with one key of a found object, from its reduced value (its shape). */
  static Optional<Problem> check(Reference ref, String key, Requirement requirement, String shape) {
    var where = ref.kind() + " " + ref.name() + " (" + ref.field() + ")";
    if (shape == null) {
      return Optional.of(
          new Problem(Reason.ReferenceNotFound.name(), where + " has no key '" + key + "'"));
    }
    if (requirement == Requirement.NOT_BLANK && ValueShape.BLANK.name().equals(shape)) {
      return Optional.of(
          new Problem(Reason.ReferenceInvalid.name(), where + " key '" + key + "' is empty"));
    }
    if (requirement == Requirement.EMAIL && !ValueShape.EMAIL.name().equals(shape)) {
      return Optional.of(
          new Problem(
              Reason.ReferenceInvalid.name(),
              where
                  + " key '"
                  + key
                  + "' is not a valid email address, which Django's"
                  + " createsuperuser refuses"));
    }
    return Optional.empty();
  }
}
